"""What happens after an application is sent, as the applicant is told it: the steps, the
service level of each in working days (``[service_level]``) and who will call. The 申请指导
page and the online receiver's receipt both read it from here."""
from __future__ import annotations

from kb.cases.clock import SLA_KEYS

STEP_TEXT = {
    "received": "受理决定（受理、不予受理或通知补充材料）",
    "accepted": "主动与申请人对接，了解具体需求",
    "contacted": "有关部门共同会商研究",
    "conferred": "出具《海外知识产权纠纷应对行政指导意见书》",
    "opinion_issued": "结案",
}


def next_steps(settings) -> list[tuple[str, int]]:
    """(step, working days allowed) in the workflow's order."""
    days = settings["service_level"]
    return [(STEP_TEXT[status], days[key]) for status, key in SLA_KEYS.items()]


def lead_department(settings) -> dict[str, str]:
    """The department that takes in applications and calls the applicant."""
    return settings.department(settings["cases"]["default_department"])


def who_calls(settings) -> str:
    dept = lead_department(settings)
    days = settings["service_level"]["accept_days"]
    return (f"{dept['name']}在收到申请后 {days} 个工作日内作出受理决定，并按申请书填写的联系电话"
            f"与联系人联系；如需补充材料，会同时告知。咨询电话：{dept['phone']}。")
