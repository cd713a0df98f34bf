"""Demo accounts: one per role, listed on the login page in demo mode and in the README."""

from django.utils.translation import gettext_lazy as _

from .models import RoleKind, User

DEMO_PASSWORD = "Gongzhi@2026"  # noqa: S105 - published demo password, demo mode only

# username, display name, role kind, key of the organization in the demo context, label
DEMO_ACCOUNTS = [
    {"username": "jiedao", "name": "周建国", "kind": RoleKind.STREET_ADMIN, "org": "street",
     "label": _("Street administrator")},
    {"username": "shuji", "name": "李秀英", "kind": RoleKind.COMMUNITY_SECRETARY, "org": "xingfu",
     "label": _("Community secretary (Xingfu)")},
    {"username": "shegong", "name": "王芳", "kind": RoleKind.COMMUNITY_STAFF, "org": "xingfu",
     "label": _("Community staff (Xingfu)")},
    {"username": "zhibu1", "name": "张伟", "kind": RoleKind.BRANCH_SECRETARY, "org": "xingfu_branch_1",
     "label": _("Branch secretary, grid branch 1")},
    {"username": "zhibu2", "name": "刘洋", "kind": RoleKind.BRANCH_SECRETARY, "org": "xingfu_branch_2",
     "label": _("Branch secretary, grid branch 2")},
    {"username": "zuzhang", "name": "陈静", "kind": RoleKind.GROUP_LEADER, "org": "xingfu_group_1",
     "label": _("Building party group leader")},
    {"username": "dangyuan", "name": "赵磊", "kind": RoleKind.MEMBER, "org": "xingfu_branch_1",
     "label": _("Party member")},
    {"username": "jumin", "name": "孙丽", "kind": RoleKind.RESIDENT, "org": "xingfu",
     "label": _("Resident")},
    {"username": "jiandu", "name": "吴强", "kind": RoleKind.SUPERVISOR, "org": "xingfu",
     "label": _("Supervision committee member")},
    {"username": "gongjian", "name": "郑敏", "kind": RoleKind.UNIT_ADMIN, "org": "unit_tax",
     "label": _("Co-building unit (district tax bureau)")},
    {"username": "heping", "name": "何平", "kind": RoleKind.COMMUNITY_SECRETARY, "org": "heping",
     "label": _("Community secretary (Heping, another community)")},
    {"username": "anquan", "name": "钱志刚", "kind": RoleKind.SECURITY_ADMIN, "org": "street",
     "label": _("Security administrator (accounts and roles, no personal data)")},
    {"username": "shenji", "name": "冯丽华", "kind": RoleKind.AUDITOR, "org": "street",
     "label": _("Auditor (reads the audit log)")},
]


def build(ctx) -> None:
    users = {}
    hashed = User(username="x")
    hashed.set_password(DEMO_PASSWORD)  # hash once: Argon2 is slow on purpose
    for number, account in enumerate(DEMO_ACCOUNTS):
        users[account["username"]] = User.objects.create(
            username=account["username"], display_name=account["name"], password=hashed.password,
            mobile=f"1390000{number:04d}",
        )
    ctx["users"] = users
