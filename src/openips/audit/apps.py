from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openips.audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from openips.audit import signals  # noqa: F401  (connects the sign-in receivers)
