from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "aescrm.scheduling"
    label = "scheduling"
    verbose_name = "Availability and booking rules"
