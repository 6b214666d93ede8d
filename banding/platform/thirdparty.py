"""Two third-party apps named in Indonesian for the admin (settings.INSTALLED_APPS names
these configs); their models' names come from their own catalogs, or from ours
(banding/locale/id)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Pembatasan masuk (django-axes)")


class TasksConfig(TasksAppConfig):
    verbose_name = _("Antrean tugas latar belakang")  # type: ignore[assignment]


# django-tasks-db names its model in English through gettext: Indonesian in banding/locale/id.
THIRD_PARTY_NAMES = (gettext_noop("Task Result"), gettext_noop("Task Results"))
