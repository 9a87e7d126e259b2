"""The fakes and the clock of the messaging, mail and automation tests, shared here."""

from aescrm.automation.tests.conftest import clock, recipe_clinic  # noqa: F401
from aescrm.mail.tests.conftest import postmark_fake  # noqa: F401
from aescrm.messaging.tests.conftest import twilio_fake  # noqa: F401
