from django.apps import AppConfig
from django.db.models.signals import post_save


class ClientsConfig(AppConfig):
    name = "openips.clients"
    verbose_name = "Clients"

    def ready(self) -> None:
        from openips.clients.index import person_saved
        from openips.clients.measures import check_settings
        from openips.clients.models import Person

        check_settings()  # a misspelt measure in OPENIPS_RELIABLE_CHANGE stops the start

        # Every ordinary save of a person keeps the search index in step (ADR 0019).
        post_save.connect(person_saved, sender=Person, dispatch_uid="clients.search_index")
