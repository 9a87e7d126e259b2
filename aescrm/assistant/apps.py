from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "aescrm.assistant"
    label = "assistant"
    verbose_name = "Website assistant"
