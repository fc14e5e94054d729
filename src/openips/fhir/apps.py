from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "openips.fhir"
    verbose_name = "FHIR interface"

    def ready(self) -> None:
        from openips.fhir.services import forget_senders_identifiers
        from openips.governance.rights import anonymising

        # A sender's identifier would lead back to the person in the trust's own system.
        anonymising.connect(forget_senders_identifiers, dispatch_uid="fhir.anonymising")
