"""The automation clock, the built-in recipes and the fake Twilio, for the rights tests."""

from aescrm.automation.tests.conftest import clock, recipe_clinic  # noqa: F401
from aescrm.messaging.tests.conftest import connect, twilio_fake  # noqa: F401
