from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What operators run beside the portal: the production rehearsal and the backup drill
    (`make prod-check`, `make backup-drill`). Their scripts drive the portal from outside;
    the few steps that must run inside it are this app's management commands. It stands on
    top with the demo, and nothing imports it."""

    name = "ops"
    verbose_name = "Operations"
