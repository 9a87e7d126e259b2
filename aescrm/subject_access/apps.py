from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "aescrm.subject_access"
    label = "subject_access"
    verbose_name = "Subject access and portability"

    def ready(self) -> None:
        from aescrm.subject_access import tasks  # noqa: F401  (registers Huey tasks)
