from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "openips.outcomes"
    verbose_name = "Outcomes and reporting"

    def ready(self) -> None:
        from openips.outcomes.savings import parameters

        parameters()  # a unit cost without its value, price year or source stops the start
