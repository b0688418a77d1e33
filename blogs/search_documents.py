"""What of the official blogs is searchable: live, public blog posts, and published
questions that no moderator hid, with their answers. A question is one document in the
language it was written in (guessed from its letters), its answers in its text.

Never indexed: the asker's email or account, and the asker's name when they chose to
hide it (the name appears, as display data only, when it is public)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import get_text_for_indexing

from accounts.models import User
from search import registry
from search.registry import SearchDoc
from search.text import guess_language

from .models import Answer, BlogPage, BlogPostPage, Question

ANSWERED = "answered"
AWAITING = "awaiting_answer"


def _page_language(page) -> str:
    code = (page.locale.language_code or "kk").split("-")[0].lower()
    return code if code in registry.LANGUAGES else "kk"


def posts():
    """Live public posts, each annotated with its blog's agency (`blog_agency_id`): the
    parent's path is the post's without its last step, so no query per post."""
    parent = BlogPage.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - BlogPostPage.steplen)
    ).values("agency_id")[:1]
    return BlogPostPage.objects.live().public().annotate(blog_agency_id=Subquery(parent))


def post_documents(post: BlogPostPage):
    yield SearchDoc(
        title=post.title,
        body="\n".join(part for part in (post.summary, get_text_for_indexing(post.body)) if part),
        language=_page_language(post),
        url=post.url or "",
        date=post.date,
        agency_id=getattr(post, "blog_agency_id", None),
        group=f"wagtailcore.page:{post.translation_key}",
    )


def question_documents(question: Question):
    answers = list(question.answers.all())
    language = guess_language(f"{question.title} {question.text}")
    with translation.override(language):
        url = question.get_absolute_url()
    final = any(answer.is_final for answer in answers)
    extra = {"answers": len(answers)}
    if not question.name_hidden:
        extra["author"] = question.asker.public_name
    yield SearchDoc(
        title=question.title,
        body="\n\n".join([question.text, *(answer.text for answer in answers)]),
        language=language,
        url=url,
        date=timezone.localdate(question.published_at) if question.published_at else None,
        agency_id=question.agency_id,
        status=ANSWERED if final else AWAITING,
        extra=extra,
    )


def _posts_of_blog(blog: BlogPage):
    return BlogPostPage.objects.child_of(blog).values_list("pk", flat=True)


def _public_questions_of(user: User):
    return Question.objects.filter(asker_id=user.pk, name_hidden=False).values_list("pk", flat=True)


registry.register(
    "blog_post",
    label=_("Blog posts"),
    model=BlogPostPage,
    queryset=posts,
    documents=post_documents,
    watch={BlogPage: _posts_of_blog},
    select_related=("locale",),
)
registry.register(
    "blog_question",
    label=_("Questions and answers"),
    model=Question,
    queryset=lambda: Question.objects.visible(),
    documents=question_documents,
    watch={
        Answer: lambda answer: [answer.question_id],
        # The public name shown with a question follows the asker's profile (and erasure).
        User: (_public_questions_of, {"display_name", "first_name", "last_name", "deleted_at"}),
    },
    select_related=("asker",),
    prefetch_related=("answers",),
    statuses={ANSWERED: _("answered"), AWAITING: _("awaiting an answer")},
)
