from gongzhi.voice import services
from gongzhi.voice.models import Category, Channel


def request_in(world, community=None, *, category=Category.ENVIRONMENT, grid="a", phone="13800001111",
               resident=None, anonymous=False, now=None, **kwargs):
    community = community or world.community_a
    grid = {"a": world.grid_a, "b": world.grid_b, "x": world.grid_x, None: None}[grid] if isinstance(grid, str) \
        or grid is None else grid
    return services.submit(community=community, category=category, text="楼道灯坏了，晚上很黑。",
                           channel=Channel.QR, grid=grid, contact_phone=phone, resident=resident,
                           anonymous=anonymous, now=now, **kwargs)


def post(client, url, data=None):
    """POST through a CSRF-enforcing client, with the token a page would have set."""
    from django.urls import reverse

    if "csrftoken" not in client.cookies:
        client.get(reverse("voice:track"))
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
