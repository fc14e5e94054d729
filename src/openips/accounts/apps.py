from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openips.accounts"
    verbose_name = "Accounts"
