from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "aescrm.patients"
    label = "patients"
