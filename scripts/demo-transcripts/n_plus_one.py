"""The Claude Code session on "Remove N+1 queries on the dashboard endpoint", with an Explore sub-agent."""
from datetime import datetime, timezone

from formats import (CLAUDE_SESSION, CWD, HAIKU, SONNET, SUBAGENT, ClaudeSession, numbered, say, think, tool, write)

DASHBOARD_PY = '''from django.db.models import Prefetch
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from app.models import Project
from .serializers import ProjectSummarySerializer


@api_view(["GET"])
@permission_classes([IsAuthenticated])
def dashboard(request):
    account = request.user.account
    projects = Project.objects.filter(account=account, archived=False).order_by("-updated_at")
    data = ProjectSummarySerializer(projects, many=True, context={"request": request}).data
    return Response({"account": account.slug, "projects": data})'''

SERIALIZERS_PY = '''from rest_framework import serializers

from app.models import Project


class ProjectSummarySerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username")
    member_count = serializers.SerializerMethodField()
    latest_build = serializers.SerializerMethodField()
    open_issues = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "owner", "member_count", "latest_build", "open_issues", "updated_at"]

    def get_member_count(self, obj):
        return obj.members.count()

    def get_latest_build(self, obj):
        build = obj.builds.order_by("-created_at").first()
        return None if build is None else {"id": build.id, "status": build.status, "finished_at": build.finished_at}

    def get_open_issues(self, obj):
        return obj.issues.filter(state="open").count()'''

TEST_FAIL = '''============================= test session starts ==============================
collected 1 item

tests/api/test_dashboard.py F                                            [100%]

=================================== FAILURES ===================================
__________________________ test_dashboard_query_count __________________________

django_assert_max_num_queries = <function django_assert_max_num_queries.<locals>._assert_num_queries at 0x7f3a2c1e8d30>
account_with_projects = <Account: acme>, client = <rest_framework.test.APIClient object at 0x7f3a2c1f0a90>

    def test_dashboard_query_count(django_assert_max_num_queries, account_with_projects, client):
        client.force_authenticate(account_with_projects.owner)
>       with django_assert_max_num_queries(6):
E       Failed: Expected to perform 6 queries or less but 47 were done (add -v option to show queries)

tests/api/test_dashboard.py:58: Failed
=========================== short test summary info ============================
FAILED tests/api/test_dashboard.py::test_dashboard_query_count - Failed: Expected to perform 6 queries or less but 47 were done
============================== 1 failed in 1.84s ==============================='''

SURVEY_PROMPT = ("Look through app/api/ and app/views/ for other places that iterate over a queryset and touch related "
                 "objects lazily (a foreign key, a reverse relation or .count() on a related manager inside the loop, "
                 "without select_related/prefetch_related/annotate). Report each as file:line, the relation, and how "
                 "many rows the loop usually covers. Do not edit anything.")

SURVEY_REPORT = '''Found three more lazy loads in loops (besides app/api/serializers.py, which you already have):

1. app/views/reports.py:34 — `for run in runs:` then `run.project.name` and `run.triggered_by.email` (two foreign keys per row; the weekly report covers ~300 runs).
2. app/billing/views.py:88 — `invoice.line_items.all()` inside `for invoice in invoices` (reverse relation, ~12 invoices per page).
3. app/api/activity.py:21 — `event.actor.username` per event in the project activity feed (foreign key, 50 events per page).

No other loops over querysets touch relations; app/api/search.py already uses select_related("project").'''

REPORTS_PY = '''from django.shortcuts import render
from django.utils import timezone

from app.models import BuildRun


def weekly_report(request):
    since = timezone.now() - timezone.timedelta(days=7)
    runs = BuildRun.objects.filter(project__account=request.user.account, created_at__gte=since)
    rows = []
    for run in runs:
        rows.append({
            "project": run.project.name,
            "triggered_by": run.triggered_by.email,
            "status": run.status,
            "duration": run.duration,
        })
    return render(request, "reports/weekly.html", {"rows": rows, "since": since})'''


def main_session():
    s = ClaudeSession(CLAUDE_SESSION, datetime(2026, 11, 20, 14, 2, 7, 312000, tzinfo=timezone.utc), SONNET)
    s.user("The /api/dashboard endpoint takes about 2 s for accounts with many projects. Find the N+1 queries and fix "
           "them. Keep the response shape exactly as it is, the mobile app depends on it.")
    s.assistant(think("A dashboard listing projects is the classic N+1: a serializer that touches owner, members and builds "
                      "per project. Find the view first, then its serializer, then pin the query count with a test before "
                      "changing anything."),
                say("I'll find the endpoint and its serializer first, then add a test that counts queries so the fix is measurable."),
                tool("Grep", key="grep1", pattern="def dashboard", path="app", output_mode="content", **{"-n": True}))
    s.result("grep1", "app/api/dashboard.py:12:def dashboard(request):")
    s.assistant(tool("Read", key="read1", file_path=f"{CWD}/app/api/dashboard.py"))
    s.result("read1", numbered(DASHBOARD_PY))
    s.assistant(tool("Read", key="read2", file_path=f"{CWD}/app/api/serializers.py"))
    s.result("read2", numbered(SERIALIZERS_PY))
    s.assistant(think("Per project: owner (FK, 1 query), members.count() (1), builds first() (1), issues count (1). "
                      "With 11 projects that is 44 plus the base queries, which matches ~2 s on a busy database. "
                      "select_related for owner, annotate counts, Prefetch the latest build. Before fixing this one, "
                      "other views probably copy the pattern: let a sub-agent survey while I write the test."),
                say("The serializer does four lazy lookups per project (owner, members.count(), the latest build and the open "
                    "issue count). While I write a query-count test, a sub-agent will survey the other views for the same pattern."),
                tool("Task", key="task1", description="Survey views for lazy loads", prompt=SURVEY_PROMPT, subagent_type="Explore"))
    continue_main(s)
    return s


TEST_PY = '''import pytest
from django.urls import reverse

from app.tests.factories import AccountFactory, BuildFactory, IssueFactory, ProjectFactory, UserFactory


@pytest.fixture
def account_with_projects(db):
    account = AccountFactory(slug="acme")
    for i in range(11):
        project = ProjectFactory(account=account, name=f"service-{i}")
        project.members.add(*UserFactory.create_batch(3))
        BuildFactory.create_batch(4, project=project)
        IssueFactory.create_batch(2, project=project, state="open")
    return account


def test_dashboard_lists_projects(account_with_projects, client):
    client.force_authenticate(account_with_projects.owner)
    response = client.get(reverse("api:dashboard"))
    assert response.status_code == 200
    assert len(response.json()["projects"]) == 11


def test_dashboard_shape(account_with_projects, client):
    client.force_authenticate(account_with_projects.owner)
    project = client.get(reverse("api:dashboard")).json()["projects"][0]
    assert set(project) == {"id", "name", "owner", "member_count", "latest_build", "open_issues", "updated_at"}
    assert project["member_count"] == 3
    assert project["open_issues"] == 2'''

NEW_TEST = '''

def test_dashboard_query_count(django_assert_max_num_queries, account_with_projects, client):
    client.force_authenticate(account_with_projects.owner)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("api:dashboard"))
    assert response.status_code == 200'''

OLD_QS = '''    projects = Project.objects.filter(account=account, archived=False).order_by("-updated_at")'''
NEW_QS = '''    latest = Build.objects.filter(project=OuterRef("pk")).order_by("-created_at").values("pk")[:1]
    projects = (
        Project.objects.filter(account=account, archived=False)
        .select_related("owner")
        .annotate(
            member_count=Count("members", distinct=True),
            open_issue_count=Count("issues", filter=Q(issues__state="open"), distinct=True),
            latest_build_id=Subquery(latest),
        )
        .order_by("-updated_at")
    )
    builds = Build.objects.in_bulk([p.latest_build_id for p in projects if p.latest_build_id])'''

BILLING_PY = '''
    invoices = Invoice.objects.filter(account=request.user.account).order_by("-issued_at")
    page = Paginator(invoices, 12).get_page(request.GET.get("page"))
    rows = []
    for invoice in page:
        items = invoice.line_items.all()
        rows.append({
            "number": invoice.number,
            "issued_at": invoice.issued_at,
            "total": sum(i.amount for i in items),
            "items": [{"label": i.label, "amount": i.amount} for i in items],
        })
    return render(request, "billing/invoices.html", {"rows": rows, "page": page})'''

EDITED = "The file {} has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n"


def continue_main(s):
    s.result("task1", [{"type": "text", "text": SURVEY_REPORT}],
             extra={"status": "completed", "totalDurationMs": 41233, "totalTokens": 18542, "totalToolUseCount": 7})
    s.assistant(tool("TodoWrite", key="todo1", todos=[
        {"content": "Add a query-count test for /api/dashboard", "status": "in_progress", "activeForm": "Adding a query-count test"},
        {"content": "Fix the N+1 queries in ProjectSummarySerializer", "status": "pending", "activeForm": "Fixing the serializer"},
        {"content": "Fix the lazy loads the survey found", "status": "pending", "activeForm": "Fixing the other views"},
        {"content": "Run the whole test suite", "status": "pending", "activeForm": "Running the test suite"}]))
    s.result("todo1", "Todos have been modified successfully. Ensure that you continue to use the todo list to track your "
                      "progress. Please proceed with the current tasks if applicable")
    s.assistant(say("First a baseline from the dev server, so the improvement is a number and not a feeling."),
                tool("Bash", key="curl1", command="for i in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\\n' -H 'Authorization: Token dev-acme' http://localhost:8000/api/dashboard; done",
                     description="Time the dashboard endpoint three times"))
    s.result("curl1", "2.214\n2.087\n2.131")
    s.assistant(tool("Read", key="read3", file_path=f"{CWD}/tests/api/test_dashboard.py"))
    s.result("read3", numbered(TEST_PY))
    s.assistant(tool("Edit", key="edit1", file_path=f"{CWD}/tests/api/test_dashboard.py",
                     old_string='    assert project["open_issues"] == 2', new_string='    assert project["open_issues"] == 2' + NEW_TEST))
    s.result("edit1", EDITED.format(f"{CWD}/tests/api/test_dashboard.py") + numbered(NEW_TEST.strip("\n"), 33))
    s.assistant(tool("Bash", key="pytest1", command="pytest tests/api/test_dashboard.py::test_dashboard_query_count -q",
                     description="Run the new query-count test"))
    s.result("pytest1", TEST_FAIL, is_error=True)
    s.assistant(think("47 = 3 base queries + 4 per project x 11. Matches the four lazy lookups exactly. Fix: select_related "
                      "owner, annotate both counts, and the latest build... a Prefetch of all builds would load thousands "
                      "of rows for old projects; a Subquery for the latest build id plus one in_bulk keeps it to one extra "
                      "query."),
                say("47 queries: 3 for the request plus 4 per project. I'll annotate the two counts, select the owner in the "
                    "same query, and fetch only each project's latest build with a subquery instead of prefetching every build."),
                tool("Grep", key="grep2", pattern="class Build\\b", path="app/models", output_mode="content", **{"-n": True, "-A": 6}))
    s.result("grep2", "app/models/builds.py:9:class Build(models.Model):\napp/models/builds.py-10-    project = models.ForeignKey("
                      "\"Project\", related_name=\"builds\", on_delete=models.CASCADE)\napp/models/builds.py-11-    status = "
                      "models.CharField(max_length=16, choices=BuildStatus.choices)\napp/models/builds.py-12-    created_at = "
                      "models.DateTimeField(auto_now_add=True, db_index=True)\napp/models/builds.py-13-    finished_at = "
                      "models.DateTimeField(null=True)\napp/models/builds.py-14-\napp/models/builds.py-15-    class Meta:")
    s.assistant(tool("Edit", key="edit2", file_path=f"{CWD}/app/api/dashboard.py", old_string=OLD_QS, new_string=NEW_QS))
    s.result("edit2", EDITED.format(f"{CWD}/app/api/dashboard.py") + numbered(NEW_QS, 15))
    s.assistant(tool("Edit", key="edit3", file_path=f"{CWD}/app/api/dashboard.py",
                     old_string="from django.db.models import Prefetch\n",
                     new_string="from django.db.models import Count, OuterRef, Q, Subquery\n"),
                )
    s.result("edit3", EDITED.format(f"{CWD}/app/api/dashboard.py") + numbered("from django.db.models import Count, OuterRef, Q, Subquery"))
    s.assistant(tool("Edit", key="edit4", file_path=f"{CWD}/app/api/dashboard.py",
                     old_string='ProjectSummarySerializer(projects, many=True, context={"request": request})',
                     new_string='ProjectSummarySerializer(projects, many=True, context={"request": request, "builds": builds})'))
    s.result("edit4", EDITED.format(f"{CWD}/app/api/dashboard.py") + numbered(
        '    data = ProjectSummarySerializer(projects, many=True, context={"request": request, "builds": builds}).data', 28))
    s.assistant(tool("Edit", key="edit5", file_path=f"{CWD}/app/api/serializers.py",
                     old_string="        return obj.members.count()", new_string="        return obj.member_count"))
    s.result("edit5", EDITED.format(f"{CWD}/app/api/serializers.py") + numbered("        return obj.member_count", 17))
    s.assistant(tool("Edit", key="edit6", file_path=f"{CWD}/app/api/serializers.py",
                     old_string='        build = obj.builds.order_by("-created_at").first()',
                     new_string='        build = self.context["builds"].get(obj.latest_build_id)'))
    s.result("edit6", EDITED.format(f"{CWD}/app/api/serializers.py") + numbered('        build = self.context["builds"].get(obj.latest_build_id)', 20))
    s.assistant(tool("Edit", key="edit7", file_path=f"{CWD}/app/api/serializers.py",
                     old_string='        return obj.issues.filter(state="open").count()', new_string="        return obj.open_issue_count"))
    s.result("edit7", EDITED.format(f"{CWD}/app/api/serializers.py") + numbered("        return obj.open_issue_count", 24))
    s.assistant(tool("Bash", key="pytest2", command="pytest tests/api/test_dashboard.py -q", description="Run the dashboard tests"))
    s.result("pytest2", "...                                                                      [100%]\n3 passed in 1.31s")
    s.assistant(tool("Bash", key="count1", command=(
        "python manage.py shell -c \"from django.db import connection; from django.test import Client; "
        "from django.test.utils import CaptureQueriesContext; c = Client(); c.login(username='dev', password='dev')\n"
        "with CaptureQueriesContext(connection) as q: c.get('/api/dashboard')\nprint(len(q), 'queries')\""),
        description="Count the endpoint's queries on the dev data"))
    s.result("count1", "4 queries")
    s.assistant(tool("Bash", key="curl2", command="for i in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\\n' -H 'Authorization: Token dev-acme' http://localhost:8000/api/dashboard; done",
                     description="Time the endpoint again"))
    s.result("curl2", "0.191\n0.174\n0.169")
    s.assistant(tool("TodoWrite", key="todo2", todos=[
        {"content": "Add a query-count test for /api/dashboard", "status": "completed", "activeForm": "Adding a query-count test"},
        {"content": "Fix the N+1 queries in ProjectSummarySerializer", "status": "completed", "activeForm": "Fixing the serializer"},
        {"content": "Fix the lazy loads the survey found", "status": "pending", "activeForm": "Fixing the other views"},
        {"content": "Run the whole test suite", "status": "pending", "activeForm": "Running the test suite"}]))
    s.result("todo2", "Todos have been modified successfully. Ensure that you continue to use the todo list to track your "
                      "progress. Please proceed with the current tasks if applicable")
    s.assistant(say("The dashboard now makes 4 queries instead of 47, and the endpoint answers in about 0.18 s instead of 2.1 s. "
                    "The survey found the same pattern in reports.py, billing/views.py and activity.py. Shall I fix those too?"))
    more_views(s)


def more_views(s):
    s.user("Yes, fix reports and billing. Leave activity.py alone, Priya is rewriting that feed this week.")
    s.assistant(think("reports.py: two FKs in the loop, select_related both. billing: reverse relation, prefetch_related. "
                      "Read both before editing."),
                tool("Read", key="read4", file_path=f"{CWD}/app/views/reports.py"))
    s.result("read4", numbered(REPORTS_PY, 1))
    old = '    runs = BuildRun.objects.filter(project__account=request.user.account, created_at__gte=since)'
    new = ('    runs = BuildRun.objects.filter(project__account=request.user.account, created_at__gte=since).select_related(\n'
           '        "project", "triggered_by"\n    )')
    s.assistant(tool("Edit", key="edit8", file_path=f"{CWD}/app/views/reports.py", old_string=old, new_string=new))
    s.result("edit8", EDITED.format(f"{CWD}/app/views/reports.py") + numbered(new, 9))
    s.assistant(tool("Read", key="read5", file_path=f"{CWD}/app/billing/views.py", offset=76, limit=14))
    s.result("read5", numbered(BILLING_PY.strip("\n"), 76))
    old = '    invoices = Invoice.objects.filter(account=request.user.account).order_by("-issued_at")'
    new = ('    invoices = (\n        Invoice.objects.filter(account=request.user.account)\n'
           '        .prefetch_related("line_items")\n        .order_by("-issued_at")\n    )')
    s.assistant(tool("Edit", key="edit9", file_path=f"{CWD}/app/billing/views.py", old_string=old, new_string=new))
    s.result("edit9", EDITED.format(f"{CWD}/app/billing/views.py") + numbered(new, 77))
    s.assistant(say("Both fixed. Running the view and billing tests, then the whole suite."),
                tool("Bash", key="pytest4", command="pytest tests/views tests/billing -q", description="Run view and billing tests"))
    s.result("pytest4", "........................................................ [ 98%]\n.                                                        [100%]\n57 passed in 9.02s")
    s.assistant(tool("Bash", key="pytest5", command="pytest -q -x", description="Run the whole test suite", timeout=600000))
    s.result("pytest5", "........................................................................ [ 17%]\n"
                        "........................................................................ [ 34%]\n"
                        "..................................s..................................... [ 52%]\n"
                        "........................................................................ [ 69%]\n"
                        ".............................s.......................................... [ 87%]\n"
                        ".................................................s....                   [100%]\n"
                        "412 passed, 3 skipped in 41.77s")
    s.assistant(tool("Bash", key="diff1", command="git diff --stat", description="Summarise the change"))
    s.result("diff1", " app/api/dashboard.py        | 17 +++++++++++++++--\n app/api/serializers.py      |  6 +++---\n"
                      " app/billing/views.py        |  7 ++++++-\n app/views/reports.py        |  4 +++-\n"
                      " tests/api/test_dashboard.py |  7 +++++++\n 5 files changed, 35 insertions(+), 6 deletions(-)")
    s.assistant(tool("TodoWrite", key="todo3", todos=[
        {"content": "Add a query-count test for /api/dashboard", "status": "completed", "activeForm": "Adding a query-count test"},
        {"content": "Fix the N+1 queries in ProjectSummarySerializer", "status": "completed", "activeForm": "Fixing the serializer"},
        {"content": "Fix the lazy loads the survey found", "status": "completed", "activeForm": "Fixing the other views"},
        {"content": "Run the whole test suite", "status": "completed", "activeForm": "Running the test suite"}]))
    s.result("todo3", "Todos have been modified successfully. Ensure that you continue to use the todo list to track your "
                      "progress. Please proceed with the current tasks if applicable")
    s.assistant(say("Done. Summary:\n\n"
                    "- **/api/dashboard**: 47 → 4 queries (owner selected in the same query, member and open-issue counts "
                    "annotated, each project's latest build fetched with one subquery and one `in_bulk`). About 2.1 s → 0.18 s "
                    "on the dev data. The response shape is unchanged (`test_dashboard_shape` still passes).\n"
                    "- **Weekly report**: `select_related(\"project\", \"triggered_by\")` — ~600 queries fewer per report.\n"
                    "- **Invoices page**: `prefetch_related(\"line_items\")` — 12 queries fewer per page.\n"
                    "- New test `test_dashboard_query_count` fails if the endpoint goes above 6 queries again.\n\n"
                    "I left app/api/activity.py as you asked; it still loads `event.actor` per event (50 queries per page)."))


def subagent():
    s = ClaudeSession(CLAUDE_SESSION, datetime(2026, 11, 20, 14, 3, 2, 95000, tzinfo=timezone.utc), HAIKU,
                      sidechain=True, agent_id=SUBAGENT)
    s.user(SURVEY_PROMPT)
    s.assistant(say("I'll search for loops over querysets in the views and API modules, then read each hit."),
                tool("Grep", key="g1", pattern="^\\s+for \\w+ in \\w+", path="app", glob="{api,views,billing}/**/*.py",
                     output_mode="content", **{"-n": True}), think_time=(1, 3))
    s.result("g1", "app/api/activity.py:19:    for event in events:\napp/api/search.py:27:    for hit in hits:\n"
                   "app/api/serializers.py:31:        for tag in tags:\napp/billing/views.py:81:    for invoice in page:\n"
                   "app/views/reports.py:11:    for run in runs:\napp/views/settings.py:44:    for key, value in form.cleaned_data.items():")
    s.assistant(tool("Read", key="r1", file_path=f"{CWD}/app/views/reports.py"), think_time=(1, 3))
    s.result("r1", numbered(REPORTS_PY, 1))
    s.assistant(tool("Read", key="r2", file_path=f"{CWD}/app/billing/views.py", offset=76, limit=14), think_time=(1, 3))
    s.result("r2", numbered(BILLING_PY.strip("\n"), 76))
    s.assistant(tool("Read", key="r3", file_path=f"{CWD}/app/api/activity.py", offset=10, limit=20), think_time=(1, 3))
    s.result("r3", numbered('''    events = (
        ActivityEvent.objects.filter(project=project)
        .order_by("-created_at")[:50]
    )
    feed = []
    for event in events:
        feed.append({
            "at": event.created_at,
            "actor": event.actor.username,
            "verb": event.verb,
            "target": event.target_repr,
        })
    return Response({"events": feed})''', 14))
    s.assistant(tool("Grep", key="g2", pattern="select_related|prefetch_related", path="app/api/search.py",
                     output_mode="content", **{"-n": True}), think_time=(1, 3))
    s.result("g2", "app/api/search.py:22:    hits = Document.objects.filter(vector=query).select_related(\"project\")[:20]")
    s.assistant(tool("Grep", key="g3", pattern="weekly_report|invoices\\(", path="app/urls.py", output_mode="content",
                     **{"-n": True}), think_time=(1, 3))
    s.result("g3", "app/urls.py:31:    path(\"reports/weekly/\", reports.weekly_report, name=\"weekly-report\"),\n"
                   "app/urls.py:38:    path(\"billing/invoices/\", billing.invoices, name=\"invoices\"),")
    s.assistant(say(SURVEY_REPORT), think_time=(2, 5))
    return s


def write_all():
    main = main_session()
    folder = "claude/projects/-home-dev-shop"
    snapshot = {"type": "file-history-snapshot", "messageId": main.records[0]["uuid"],
                "snapshot": {"messageId": main.records[0]["uuid"], "trackedFileBackups": {}, "timestamp": main.records[0]["timestamp"]},
                "isSnapshotUpdate": False}
    write(f"{folder}/{CLAUDE_SESSION}.jsonl", [snapshot] + main.records)
    write(f"{folder}/{CLAUDE_SESSION}/subagents/agent-{SUBAGENT}.jsonl", subagent().records)
