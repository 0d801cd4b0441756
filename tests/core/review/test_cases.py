"""Case rules in the core: only confirmed sales go in, names are split one way everywhere."""

import pytest

from firewatch.core.review.cases import CaseError, CaseFields, add_post, create_case, investigator_names
from tests.evidence.conftest import make_post


@pytest.mark.parametrize("typed, names", [
    (["张伟,李娜"], ["张伟", "李娜"]),
    (["张伟、李娜；王五"], ["张伟", "李娜", "王五"]),
    (["张伟\n 李娜 ", "王五"], ["张伟", "李娜", "王五"]),
    (["，，"], []),
])
def test_investigator_names_split_the_same_everywhere(typed, names):
    assert investigator_names(typed) == names


@pytest.mark.parametrize("status, allowed", [
    ("new", False), ("dismissed", False), ("escalated", False),
    ("confirmed", True), ("referred", True), ("approved", True),
])
def test_only_sales_go_into_a_case(app_ctx, status, allowed):
    with app_ctx.sessions() as session:
        post = make_post(session, app_ctx.settings, "http://127.0.0.1:9/p", post_no=1, status=status)
        case = create_case(session, CaseFields("标题"), [])
        if allowed:
            add_post(session, case, post.id)
            assert [p.id for p in case.posts] == [post.id]
        else:
            with pytest.raises(CaseError, match="未被确认为销售"):
                add_post(session, case, post.id)
            with pytest.raises(CaseError, match="未被确认为销售"):
                create_case(session, CaseFields("另一个"), [post.id])
