"""Staff accounts in each role, for the security tests."""

import pytest


@pytest.fixture
def staff_in(db):
    """``staff_in(role)``: a new staff account in the role's group (the
    groups as ``roles_sync`` makes them); ``staff_in(None)``: staff with no
    group."""
    from django.contrib.auth.models import Group

    from hanoi_event.roles import roles_sync
    from tests.factories import VerifiedUserFactory

    roles_sync()

    def make(role, **fields):
        user = VerifiedUserFactory(is_staff=True, **fields)
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make
