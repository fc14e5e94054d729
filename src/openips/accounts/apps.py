from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openips.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from openips.accounts import signals  # noqa: F401  (connects the receivers)
