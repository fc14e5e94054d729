from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "openips.messaging"
    verbose_name = "Messages"
