from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "openips.fhir"
    verbose_name = "FHIR interface"
