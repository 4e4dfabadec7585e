from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin, with our site as ``admin.site``: every staff page needs two steps."""

    default_site = "staff.sites.StaffAdminSite"
