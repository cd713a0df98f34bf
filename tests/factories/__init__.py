"""factory_boy factories shared by every app's tests."""

from .core import (  # noqa: F401
    BuildingFactory,
    CoBuildingAgreementFactory,
    CoBuildingUnitFactory,
    GridFactory,
    HouseholdFactory,
    MemberFactory,
    OrganizationFactory,
    ResidentFactory,
    RoleFactory,
    UserFactory,
    valid_id_number,
)
