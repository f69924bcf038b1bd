"""The demo's organisational sign-on: the IFEX statement on Amangeldy Batyrbekov (seed 003)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Appeal, Post

SLUG = "batyrbekov-ifex-sign-on"
INTRO = (
    "IFEX member Adil Soz is requesting your support for the statement below calling on the "
    "government of Kazakhstan to release journalist and editor of the Saryagash Info newspaper "
    "Amangeldy Batyrbekov, and drop the criminal defamation laws under which he has been sentenced."
)
TEXT = """\
The undersigned freedom of expression and human rights organisations are calling for the release of \
journalist Amangeldy Batyrbekov, and reconsideration of the criminal defamation laws under which he has \
been sentenced.

As you are aware, on 23 September 2019 the Saryagash district court of the Turkestan region found civil \
activist and editor of the Saryagash Info newspaper Amangeldy Batyrbekov guilty of defamation and insult, \
and sentenced him to two years and three months in prison, on a complaint by Bakhtiyar Abdiev, head of \
the education department of Keles region, about a number of critical Facebook posts.

The imprisonment of Batyrbekov for expressing his opinion is inconsistent with Kazakhstan's obligations \
under the International Covenant on Civil and Political Rights, including Article 19. As the UN Human \
Rights Committee wrote in General Comment No. 34, "the application of the criminal law should only be \
countenanced in the most serious of cases and imprisonment is never an appropriate penalty."

In this spirit, we make the following recommendations:

To the General Prosecutor's Office of the Republic of Kazakhstan: 1. Decriminalise defamation and insult, \
and provide a tolerant environment for social opinion and debate around the actions of senior officials.

To the Ministry of Information and Public Development of the Republic of Kazakhstan: 2. Reform media \
legislation in accordance with the recommendations of the UN Human Rights Council and UN Human Rights \
Committee.

To the Supreme Court of the Republic of Kazakhstan: 3. Ensure an open and fair hearing of the appeal of \
Amangeldy Batyrbekov, free of the irregularities that marred the current decision.
"""


def load_demo_statement() -> str:
    """Create the statement once; later runs leave it (and its signatures) alone."""
    from app.models.statement import Statement
    from app.statements.service import StatementInput, create_statement

    if db.session.scalar(select(Statement.id).where(Statement.slug == SLUG)) is not None:
        return f"statement {SLUG}: unchanged"
    appeal = db.session.scalar(select(Appeal).where(Appeal.slug == "batyrbekov-release"))
    posts = {p.slug: p.id for p in db.session.scalars(
        select(Post).where(Post.slug.in_(["kz-minister-information", "kz-general-prosecutor"])))}
    create_statement(appeal, StatementInput(
        title="The state must release Amangeldy Batyrbekov and end criminal defamation",
        slug=SLUG, intro=INTRO, text=TEXT, allow_individuals=True,
        to_post_ids=(posts["kz-minister-information"],),
        cc_post_ids=(posts["kz-general-prosecutor"],),
    ))
    return f"statement {SLUG}: created"
