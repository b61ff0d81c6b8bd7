from django.conf import settings

from . import policy


def cairn(request):
    user = getattr(request, "user", None)
    return {
        "authority": settings.CAIRN_AUTHORITY,
        "can_see_teams": bool(user and policy.allows(user, policy.SEE_TEAMS)),
        "can_run_returns": bool(user and policy.allows(user, policy.RETURNS)),
        "can_configure": bool(user and policy.allows(user, policy.CONFIGURE)),
        # Only roles that record hold a caseload; the others have no empty list to show.
        "can_hold_cases": bool(user and policy.allows(user, policy.RECORD)),
    }
