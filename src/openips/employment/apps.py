from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "openips.employment"
    verbose_name = "Employers and jobs"
