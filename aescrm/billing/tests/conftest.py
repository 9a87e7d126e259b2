"""The fake Twilio and Postmark fixtures of the messaging and mail tests, for usage tests."""

from aescrm.mail.tests.conftest import postmark_fake
from aescrm.messaging.tests.conftest import twilio_fake

__all__ = ["postmark_fake", "twilio_fake"]
