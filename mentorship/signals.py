from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import StaffRole
from .staff_groups import sync_staff_access


@receiver([post_save, post_delete], sender=StaffRole)
def staff_role_changed(sender, instance, **kwargs):
    # Roles are granted in the admin and by imports alike; keep access in step.
    sync_staff_access(instance.user)
