"""The returns app keeps nothing in the admin site.

django-tasks-db registers its queue's results there; a queued return is seen on the Returns
page by the analyst who asked for it, and the admin site holds nothing that is not audited
(core.admin.AuditedAdmin), so the queue is taken out of it.
"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)
