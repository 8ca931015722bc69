from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal import page_cache, structured_logs
        from portal.forms import refuse_ids_out_of_range

        structured_logs.connect()
        page_cache.connect()
        refuse_ids_out_of_range()
