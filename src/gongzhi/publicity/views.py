"""The publicity board (public page, archive, questions, staff pages, catalogue, overdue list, QR poster)
and the news and notices. Thin: parse, authorise, call a service or selector, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core import ratelimit
from gongzhi.core.edge import require
from gongzhi.core.periods import parse_year
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.orgs.models import COMMUNITY_LEVEL, UPPER_LEVEL, Organization

from . import catalogue, selectors, services
from .forms import (
    AttachmentForm,
    BoardForm,
    CustomEntryForm,
    ItemForm,
    NoteForm,
    PhotoForm,
    PostForm,
    QuestionForm,
    ReasonForm,
    RuleForm,
    parse_period_value,
    period_value,
)
from .models import Board, Category, Item, ItemAttachment, ItemStatus, Post, PostPhoto, PostStatus
from .permissions import (
    PUBLISH_POST,
    can_approve,
    can_configure,
    can_configure_anywhere,
    can_manage_news,
    can_prepare,
    can_publish,
    can_publish_posts,
    can_read_board,
    can_read_news,
    can_use_board,
    can_withdraw,
)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _today() -> date:
    return timezone.localdate()


# --- the public page (no login) ----------------------------------------------------------------------


def _public_organization(code: str) -> Organization:
    return get_object_or_404(Organization, code=code, kind__in=COMMUNITY_LEVEL, is_active=True)


def _public_item(organization, pk) -> Item:
    item = get_object_or_404(Item.objects.select_related("organization", "replaces"), organization=organization,
                             pk=pk)
    require(selectors.is_public(item, _today()))
    return item


def _public_links(organization) -> list[dict]:
    """Links other modules add to the public page (``public_links`` on their AppConfig)."""
    from django.apps import apps

    links = []
    for config in apps.get_app_configs():
        for label, url_name, icon in getattr(config, "public_links", []):
            links.append({"label": label, "url": reverse(url_name, kwargs={"code": organization.code}), "icon": icon})
    return links


@login_not_required
def public_board(request, code):
    organization = _public_organization(code)
    board = Board.objects.filter(organization=organization).first()
    return render(request, "publicity/public_board.html", {
        "organization": organization, "board": board, **selectors.public_board(organization, _today()),
        "links": _public_links(organization)})


@login_not_required
def public_archive(request, code):
    organization = _public_organization(code)
    year = parse_year(request.GET.get("year"), 0) or None
    category = request.GET.get("category", "")
    items = selectors.public_archive(organization, _today(), year=year, category=category)
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(request, "publicity/public_archive.html", {
        "organization": organization, "page": page, "year": year, "category": category,
        "categories": [(c, Category.label_for(c, organization.kind)) for c in Category.values]})


@login_not_required
def public_item(request, code, pk):
    organization = _public_organization(code)
    item = _public_item(organization, pk)
    withdrawn = item.status == ItemStatus.WITHDRAWN
    return render(request, "publicity/public_item.html", {
        "organization": organization, "item": item, "withdrawn": withdrawn,
        "attachments": [] if withdrawn else list(item.attachments.all()),
        "corrections": list(item.corrections.filter(status=ItemStatus.PUBLISHED)),
        "history": [] if not withdrawn else list(item.events.filter(kind__in=["published", "withdrawn"])),
        "questions": [] if withdrawn else selectors.answered_questions(item),
        "form": None if withdrawn else QuestionForm(), "today": _today()})


@login_not_required
def public_file(request, code, pk, file_pk):
    organization = _public_organization(code)
    item = _public_item(organization, pk)
    require(item.status == ItemStatus.PUBLISHED)
    return _file_response(get_object_or_404(ItemAttachment, item=item, pk=file_pk))


def _file_response(attachment: ItemAttachment):
    from .uploads import IMAGE_TYPES

    inline = attachment.content_type in IMAGE_TYPES
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                        as_attachment=not inline, filename=attachment.name)


@login_not_required
def ask(request, code, pk):
    """A resident's question about an item: a request to the community, followed by its tracking number."""
    from gongzhi.members.models import Resident
    from gongzhi.voice.models import Channel

    organization = _public_organization(code)
    item = _public_item(organization, pk)
    require(item.status == ItemStatus.PUBLISHED)
    form = QuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not ratelimit.allow(request, "question"):
            form.add_error(None, _("Too many questions have been sent from this device in the past hour. Please "
                                   "try again later or call the community office."))
            status = 429
        else:
            user = request.user if request.user.is_authenticated else None
            resident = Resident.objects.filter(user=user, community=organization).first() if user else None
            try:
                question = services.ask_question(
                    item=item, text=form.cleaned_data["text"], contact_phone=form.cleaned_data["contact_phone"],
                    anonymous=form.cleaned_data["anonymous"], resident=resident, by=user,
                    channel=Channel.ONLINE if user else Channel.QR, request=request)
            except ValidationError as error:
                form.add_error(None, _errors(error))
                status = 400
            else:
                return render(request, "publicity/asked.html", {"organization": organization, "item": item,
                                                                "req": question.request})
    return render(request, "publicity/ask.html", {"organization": organization, "item": item, "form": form},
                  status=status)


@login_not_required
def public_post(request, code, pk):
    organization = _public_organization(code)
    post = get_object_or_404(Post.objects.public().select_related("organization", "activity"),
                             organization=organization, pk=pk)
    return render(request, "publicity/post.html", {"post": post, "public": True, "organization": organization,
                                                   "photos": list(post.photos.all())})


@login_not_required
def public_photo(request, code, pk):
    organization = _public_organization(code)
    photo = get_object_or_404(PostPhoto.objects.select_related("post"), pk=pk, post__organization=organization,
                              post__status=PostStatus.PUBLISHED, post__to_public=True)
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


# --- staff: boards, items, approvals -----------------------------------------------------------------


def boards(request):
    require(can_use_board(request.user))
    return render(request, "publicity/boards.html", {
        "boards": selectors.board_summaries(request.user, _today()),
        "pending": selectors.pending_for(request.user).count(),
        "may_configure": can_configure_anywhere(request.user)})


def _board_organization(request, pk) -> Organization:
    organization = get_visible_or_404(Organization.objects.filter(kind__in=COMMUNITY_LEVEL), request.user, pk=pk)
    require(can_read_board(request.user, organization))
    return organization


def board(request, pk):
    organization = _board_organization(request, pk)
    today = _today()
    status = request.GET.get("status", "")
    items = Item.objects.filter(organization=organization).select_related("organization", "created_by").order_by(
        "-visible_from", "-id")
    if status in ItemStatus.values:
        items = items.filter(status=status)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "publicity/board.html", {
        "organization": organization, "page": page, "status": status, "statuses": ItemStatus.choices,
        "dues": selectors.dues_by_entry(organization, today), "today": today,
        "board": Board.objects.filter(organization=organization).first(),
        "may_prepare": can_prepare(request.user, organization),
        "may_configure": can_configure(request.user, organization)})


def poster(request, pk):
    """A printable A4 poster with the QR code of the community's public page."""
    import segno

    organization = _board_organization(request, pk)
    url = request.build_absolute_uri(reverse("publicity:public_board", kwargs={"code": organization.code}))
    svg = segno.make(url, error="m").svg_inline(scale=8, title=url)
    return render(request, "publicity/poster.html", {"organization": organization, "url": url, "svg": svg})


def _item_form(request, organization, *, data=None, initial=None, current_period=None):
    entries = catalogue.entries_for([organization]).get(organization.pk, [])
    return ItemForm(data, organization=organization, entries=entries, initial=initial or {},
                    current_period=current_period)


def _item_form_page(request, form, organization, item=None, status=200):
    if request.htmx_target == "period-field":
        return render(request, "publicity/item_form.html#period", {"form": form})
    return render(request, "publicity/item_form.html", {"form": form, "organization": organization, "item": item},
                  status=status)


def _save_item(request, form, organization, item=None):
    data = form.cleaned_data
    fields = {"category": data["category"], "title": data["title"], "body": data["body"],
              "visible_from": data["visible_from"], "visible_until": data.get("visible_until"),
              "catalogue_key": data.get("catalogue_key") or "", "period": data.get("period")}
    if item is None:
        return services.create_item(organization=organization, by=request.user, request=request, **fields)
    return services.update_item(item=item, by=request.user, request=request, **fields)


def item_new(request, pk):
    organization = _board_organization(request, pk)
    require(can_prepare(request.user, organization))
    if request.method == "POST":
        form = _item_form(request, organization, data=request.POST)
        if form.is_valid():
            try:
                item = _save_item(request, form, organization)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("The draft is saved. Submit it for approval when it is ready."))
                return redirect("publicity:item", pk=item.pk)
        return _item_form_page(request, form, organization, status=400)
    key = request.GET.get("catalogue_key", "")
    entry = catalogue.entry_for(organization, key) if key else None
    period = parse_period_value(request.GET.get("period", ""))
    initial = {"visible_from": _today(), "catalogue_key": key if entry else ""}
    if entry is not None:
        initial.update({"category": entry.category, "title": entry.title})
        if period is not None:
            initial.update({"period": period_value(period), "title": f"{entry.title} · {period.label}"})
        if entry.draft is not None and request.htmx_target != "period-field":
            initial["body"] = entry.draft(organization, period)
    form = _item_form(request, organization, initial=initial, current_period=period if entry else None)
    return _item_form_page(request, form, organization)


def _item(request, pk) -> Item:
    item = get_visible_or_404(Item.objects.select_related("organization", "created_by", "approved_by",
                                                          "replaces"), request.user, pk=pk)
    require(can_read_board(request.user, item.organization))
    return item


def item_detail(request, pk):
    item = _item(request, pk)
    user = request.user
    return render(request, "publicity/item.html", {
        "item": item, "attachments": list(item.attachments.all()),
        "events": list(item.events.select_related("actor")), "questions": selectors.questions_for_staff(item),
        "corrections": list(item.corrections.all()), "today": _today(),
        "may_edit": item.status == ItemStatus.DRAFT and can_prepare(user, item.organization),
        "may_submit": item.status == ItemStatus.DRAFT and can_prepare(user, item.organization),
        "may_approve": item.status == ItemStatus.PENDING and can_approve(user, item),
        "may_return": item.status in (ItemStatus.PENDING, ItemStatus.APPROVED) and can_withdraw(user, item),
        "may_publish": item.status == ItemStatus.APPROVED and can_publish(user, item),
        "may_withdraw": item.status == ItemStatus.PUBLISHED and can_withdraw(user, item),
        "may_correct": item.status == ItemStatus.WITHDRAWN and can_prepare(user, item.organization),
        "own_pending": item.status == ItemStatus.PENDING and item.created_by_id == user.pk,
        "attachment_form": AttachmentForm(), "note_form": NoteForm(), "reason_form": ReasonForm()})


def item_edit(request, pk):
    item = _item(request, pk)
    organization = item.organization
    require(can_prepare(request.user, organization))
    current = None
    if item.period_start:
        from gongzhi.core.periods import Period

        entry = catalogue.entry_for(organization, item.catalogue_key)
        kind = catalogue.PERIOD_KINDS.get(entry.frequency, "range") if entry else "range"
        current = Period(item.period_start, item.period_end, kind)
    try:
        services.check_editable(item)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("publicity:item", pk=item.pk)
    if request.method == "POST":
        form = _item_form(request, organization, data=request.POST, current_period=current)
        if form.is_valid():
            try:
                _save_item(request, form, organization, item)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("publicity:item", pk=item.pk)
        return _item_form_page(request, form, organization, item, status=400)
    initial = {"catalogue_key": item.catalogue_key, "category": item.category, "title": item.title,
               "body": item.body, "visible_from": item.visible_from, "visible_until": item.visible_until,
               "period": period_value(current) if current else ""}
    return _item_form_page(request, _item_form(request, organization, initial=initial, current_period=current),
                           organization, item)


@require_POST
def item_attach(request, pk):
    item = _item(request, pk)
    require(can_prepare(request.user, item.organization))
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.add_attachment(item=item, upload=form.cleaned_data["file"], by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The file is attached."))
    return redirect("publicity:item", pk=item.pk)


def item_file(request, pk, file_pk):
    item = _item(request, pk)
    return _file_response(get_object_or_404(ItemAttachment, item=item, pk=file_pk))


@require_POST
def item_file_remove(request, pk, file_pk):
    item = _item(request, pk)
    require(can_prepare(request.user, item.organization))
    attachment = ItemAttachment.objects.filter(item=item, pk=file_pk).first()
    if attachment is None:  # removed already (a second click)
        messages.info(request, _("The file is removed."))
        return redirect("publicity:item", pk=item.pk)
    try:
        services.remove_attachment(attachment=attachment, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The file is removed."))
    return redirect("publicity:item", pk=item.pk)


@require_POST
def item_step(request, pk):
    """submit, approve (and publish), return, publish, withdraw, correct: each checked by its predicate."""
    item = _item(request, pk)
    user, action = request.user, request.POST.get("action", "")
    note = request.POST.get("note", "")[:500]
    steps = {
        "submit": (can_prepare(user, item.organization), lambda: services.submit_item(item=item, by=user,
                                                                                      request=request)),
        # An approver who wrote the item reaches the service, which says why it refuses.
        "approve": (can_approve(user, item) or (can_withdraw(user, item) and item.created_by_id == user.pk),
                    lambda: services.approve_item(item=item, by=user, request=request,
                                                  publish_now=request.POST.get("publish_now") == "on")),
        "return": (can_withdraw(user, item), lambda: services.return_item(item=item, by=user, note=note,
                                                                          request=request)),
        "publish": (can_publish(user, item), lambda: services.publish_approved(item=item, by=user,
                                                                                request=request)),
        "withdraw": (can_withdraw(user, item), lambda: services.withdraw_item(
            item=item, by=user, reason=request.POST.get("reason", "")[:500], request=request)),
        "correct": (can_prepare(user, item.organization), lambda: services.prepare_correction(
            item=item, by=user, request=request)),
    }
    if action not in steps:
        messages.error(request, _("The request could not be understood."))
        return redirect("publicity:item", pk=item.pk)
    allowed, run = steps[action]
    require(allowed)
    try:
        result = run()
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("publicity:item", pk=item.pk)
    messages.success(request, {
        "submit": _("Submitted for approval."), "approve": _("Approved."), "return": _("Returned to the author."),
        "publish": _("Published on the board."), "withdraw": _("Withdrawn; it stays in the archive with the reason."),
        "correct": _("A correction is drafted: edit it and submit it for approval."),
    }[action])
    return redirect("publicity:item", pk=result.pk)


def approvals(request):
    require(can_use_board(request.user))
    page = Paginator(selectors.pending_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "publicity/approvals.html", {"page": page})


def overdue(request):
    require(can_use_board(request.user))
    today = _today()
    boards_qs = selectors.boards_for(request.user)
    org_id = request.GET.get("org", "")
    organization = boards_qs.filter(pk=int(org_id)).first() if org_id.isdigit() else None
    dues = selectors.overdue_for(request.user, today, organization)
    page = Paginator(dues, 50).get_page(request.GET.get("page"))
    return render(request, "publicity/overdue.html", {
        "page": page, "today": today, "organization": organization, "boards": boards_qs, "total": len(dues)})


# --- the catalogue and board settings -----------------------------------------------------------------


def catalogue_page(request, pk):
    from .models import CatalogueRule

    organization = get_visible_or_404(Organization.objects.filter(kind__in=COMMUNITY_LEVEL | UPPER_LEVEL),
                                      request.user, pk=pk)
    require(can_configure(request.user, organization) or (organization.kind in COMMUNITY_LEVEL
                                                           and can_read_board(request.user, organization)))
    manage = can_configure(request.user, organization)
    status = 200
    if request.method == "POST":
        require(manage)
        action = request.POST.get("action", "")
        try:
            if action == "set":
                form = RuleForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose how often and allow between 0 and 366 days."))
                data = form.cleaned_data
                own = CatalogueRule.objects.filter(organization=organization, key=data["key"]).first()
                services.set_rule(organization=organization, key=data["key"], frequency=data["frequency"],
                                  due_days=data["due_days"], active=data["active"],
                                  title=own.title if own else "", category=own.category if own else "",
                                  by=request.user, request=request)
                messages.success(request, _("The setting is saved."))
            elif action == "reset":
                services.reset_rule(organization=organization, key=request.POST.get("key", "")[:40],
                                    by=request.user, request=request)
                messages.success(request, _("The setting above applies again."))
            elif action == "add":
                form = CustomEntryForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(" ".join(m for errs in form.errors.values() for m in errs))
                services.add_custom_entry(organization=organization, by=request.user, request=request,
                                          **form.cleaned_data)
                messages.success(request, _("The entry is added to the catalogue."))
            elif action == "board" and organization.kind in COMMUNITY_LEVEL:
                form = BoardForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(" ".join(m for errs in form.errors.values() for m in errs))
                services.save_board(organization=organization, by=request.user, request=request,
                                    **form.cleaned_data)
                messages.success(request, _("The board's settings are saved."))
            else:
                raise ValidationError(_("The request could not be understood."))
        except ValidationError as error:
            messages.error(request, _errors(error))
            status = 400
        else:
            return redirect("publicity:catalogue", pk=organization.pk)
    return render(request, "publicity/catalogue.html", _catalogue_context(organization, manage), status=status)


def _catalogue_context(organization, manage: bool) -> dict:
    from .models import CatalogueRule

    entries = catalogue.entries_for([organization], include_inactive=True)[organization.pk]
    own = {r.key: r for r in CatalogueRule.objects.filter(organization=organization)}
    rows = [{"entry": e, "own": own.get(e.key), "form": RuleForm(initial={
        "key": e.key, "frequency": e.frequency, "due_days": e.due_days,
        "active": e.active})} for e in entries]
    board = Board.objects.filter(organization=organization).first() if organization.kind in COMMUNITY_LEVEL \
        else None
    today = timezone.localdate()
    return {"organization": organization, "rows": rows, "manage": manage, "custom_form": CustomEntryForm(),
            "board": board, "is_board": organization.kind in COMMUNITY_LEVEL,
            "board_form": BoardForm(initial={"opened_on": board.opened_on if board else date(today.year, 1, 1),
                                             "intro": board.intro if board else ""})}


# --- news and notices ---------------------------------------------------------------------------------


def news(request):
    require(can_read_news(request.user))
    page = Paginator(selectors.feed_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "publicity/news.html", {"page": page, "may_manage": can_manage_news(request.user)})


def news_manage(request):
    require(can_manage_news(request.user))
    page = Paginator(selectors.managed_posts(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "publicity/news_manage.html", {"page": page})


def _post_organizations(user):
    return selectors.boards_for(user, PUBLISH_POST)


def _save_post(request, form, post=None):
    data = form.cleaned_data
    return services.save_post(
        organization=data["organization"], kind=data["kind"], title=data["title"], body=data["body"],
        activity=data.get("activity"), to_public=data["to_public"], to_residents=data["to_residents"],
        to_members=data["to_members"], grids=data.get("grids") or [], needs_ack=data["needs_ack"], post=post,
        by=request.user, request=request)


def post_new(request):
    require(can_manage_news(request.user))
    organizations = _post_organizations(request.user)
    form = PostForm(request.POST or None, organizations=organizations,
                    initial={"organization": organizations.first()})
    if request.method == "POST":
        if form.is_valid():
            try:
                post = _save_post(request, form)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("The draft is saved. Add photos, then publish it."))
                return redirect("publicity:post", pk=post.pk)
        return render(request, "publicity/post_form.html", {"form": form}, status=400)
    return render(request, "publicity/post_form.html", {"form": form})


def _post(request, pk) -> Post:
    return get_visible_or_404(Post.objects.select_related("organization", "activity", "created_by"), request.user,
                              pk=pk)


def post_detail(request, pk):
    post = _post(request, pk)
    manage = can_publish_posts(request.user, post.organization)
    context = {"post": post, "photos": list(post.photos.all()), "manage": manage,
               "acknowledged": selectors.acknowledged_by(post, request.user),
               "photo_form": PhotoForm() if manage and post.status == PostStatus.DRAFT else None,
               "reason_form": ReasonForm(), "organization": post.organization}
    if manage and post.needs_ack:
        context["share"] = selectors.ack_share(post)
    return render(request, "publicity/post.html", context)


def post_edit(request, pk):
    post = _post(request, pk)
    require(can_publish_posts(request.user, post.organization))
    if post.status != PostStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited; withdraw the post and write a new one."))
        return redirect("publicity:post", pk=post.pk)
    organizations = _post_organizations(request.user)
    initial = {"organization": post.organization, "kind": post.kind, "title": post.title, "body": post.body,
               "activity": post.activity, "to_public": post.to_public, "to_residents": post.to_residents,
               "to_members": post.to_members, "grids": list(post.grids.all()), "needs_ack": post.needs_ack}
    form = PostForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                _save_post(request, form, post)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("publicity:post", pk=post.pk)
        return render(request, "publicity/post_form.html", {"form": form, "post": post}, status=400)
    return render(request, "publicity/post_form.html", {"form": form, "post": post})


@require_POST
def post_photo_add(request, pk):
    post = _post(request, pk)
    require(can_publish_posts(request.user, post.organization))
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo."))
    else:
        try:
            services.add_photo(post=post, upload=form.cleaned_data["file"], caption=form.cleaned_data["caption"],
                               by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The photo is added."))
    return redirect("publicity:post", pk=post.pk)


def post_photo(request, pk, photo_pk):
    post = _post(request, pk)
    photo = get_object_or_404(PostPhoto, post=post, pk=photo_pk)
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


@require_POST
def post_step(request, pk):
    post = _post(request, pk)
    require(can_publish_posts(request.user, post.organization))
    action = request.POST.get("action", "")
    try:
        if action == "publish":
            services.publish_post(post=post, by=request.user, request=request)
            messages.success(request, _("Published."))
        elif action == "withdraw":
            services.withdraw_post(post=post, by=request.user, reason=request.POST.get("reason", ""),
                                   request=request)
            messages.success(request, _("Withdrawn."))
        else:
            raise ValidationError(_("The request could not be understood."))
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("publicity:post", pk=post.pk)


@require_POST
def post_ack(request, pk):
    post = _post(request, pk)
    try:
        services.acknowledge(post=post, user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Thank you: the community knows you have read it."))
    return redirect("publicity:post", pk=post.pk)
