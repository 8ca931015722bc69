from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal.forms import refuse_ids_out_of_range

        refuse_ids_out_of_range()
