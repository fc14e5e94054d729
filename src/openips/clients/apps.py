from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "openips.clients"
    verbose_name = "Clients"
