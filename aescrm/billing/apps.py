from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "aescrm.billing"
    label = "billing"
    verbose_name = "Plans, subscriptions and account states"

    def ready(self) -> None:
        # A malformed plans file stops start-up here, naming the plan and field.
        from aescrm.billing.plans import catalogue

        catalogue()
