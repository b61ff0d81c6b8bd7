"""Access grants are not in the admin site.

A grant names a child, and the administrator configures and does not read: who is named on a
record is a manager's recorded decision, made on Cairn's own pages where the access policy
decides and the audit trail keeps it. An administrator can therefore not grant itself (or
anyone) access to a child here.
"""
