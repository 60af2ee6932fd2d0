from django.apps import AppConfig


class SmsGatewayConfig(AppConfig):
    """Installed only for its `sms-gateway` command; it has no models."""

    name = "tandem.smsgateway"
    label = "smsgateway"
    verbose_name = "Local SMS gateway"
