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


def png_bytes(size=(4, 4)) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def wish_in(world, community=None, *, status="open", resident=None):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from gongzhi.voice.models import Wish

    community = community or world.community_a
    member = world.member_a if community == world.community_a else world.member_x
    wish = Wish(community=community, text="想要一台收音机", resident=resident, status=status)
    if status != "open":
        wish.claimed_by, wish.claimed_at = member, timezone.now()
    if status in ("fulfilled", "confirmed"):
        wish.fulfilled_at, wish.photo_type = timezone.now(), "image/png"
        wish.photo.save("p.png", ContentFile(png_bytes()), save=False)
    wish.save()
    return wish
