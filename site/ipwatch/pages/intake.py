"""申请指导: who may apply, the materials, the steps, the contacts (附件2), the personal-
information notice, the fillable form of 附件1 and the blank Word form.

The form's HTML is produced here from ``kb.cases.form``; the browser checks it with
``assets/intake-form.js`` over the same schema, embedded in the page as JSON. Nothing the
applicant types leaves the browser: the page has no server side.
"""
from __future__ import annotations

import html

from kb.cases import form, formdocx

from kb.core import choices, docxutil
from kb.cases.clock import SLA_KEYS

WORD_FORM = "intake/application-form.docx"
NOTICE_TITLE = "《关于加强知识产权海外维权援助建立涉外企业知识产权纠纷信息采集渠道和协调解决机制的通知》"
LAW_DATABASE = "https://flk.npc.gov.cn/"

MATERIALS = [
    ("主体资格证明文件", "例如公司营业执照正副本、个人身份证以及个体工商户营业执照"),
    ("涉案知识产权文件", "例如涉案专利文本、涉案商标注册证、版权登记证书等"),
    ("涉案法律文件", "例如律师函、起诉状、行政机关通知等"),
    ("其他材料", "与纠纷有关的其他材料"),
]
STEP_TEXT = {
    "received": "受理决定（受理、不予受理或通知补充材料）",
    "accepted": "主动与申请人对接，了解具体需求",
    "contacted": "有关部门共同会商研究",
    "conferred": "出具《海外知识产权纠纷应对行政指导意见书》",
    "opinion_issued": "结案",
}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _choice_inputs(f: form.Field) -> str:
    kind = "checkbox" if f.multiple else "radio"
    parts = []
    for c in f.choices:
        ident = f"ipw-{f.key}-{c.code}"
        parts.append(
            f'<label class="ipw-choice" for="{ident}"><input type="{kind}" id="{ident}" '
            f'name="{f.key}" value="{_e(c.code)}"> {_e(c.label)}</label>'
        )
        if c.code == "other" and f.other_key:
            other = form.BY_KEY[f.other_key]
            hint = f"（{other.hint}）" if other.hint else ""
            parts.append(
                f'<input type="text" class="ipw-other" name="{other.key}" id="ipw-{other.key}" '
                f'aria-label="{_e(other.label)}" placeholder="请填写{hint}">'
            )
    return "".join(parts)


def _text_input(f: form.Field) -> str:
    ident = f"ipw-{f.key}"
    if f.kind == "textarea":
        return f'<textarea id="{ident}" name="{f.key}" rows="6"></textarea>'
    kind = {"email": "email", "phone": "tel", "date": "date"}.get(f.kind, "text")
    auto = {"contact_name": "name", "contact_email": "email", "contact_phone": "tel",
            "address": "street-address", "applicant_name": "organization"}.get(f.key, "off")
    return f'<input type="{kind}" id="{ident}" name="{f.key}" autocomplete="{auto}">'


def _field_html(f: form.Field) -> str:
    need = '<span class="ipw-required" title="必填">*</span>' if f.required else ""
    label = f"{f.group}（{f.label}）" if f.group else f.label
    hint = f'<span class="ipw-hint">{_e(f.hint)}</span>' if f.hint else ""
    errors = f'<p class="ipw-error" data-error-for="{f.key}" hidden></p>'
    if f.choices:
        body = f'<fieldset><legend>{_e(label)}{need}</legend>{_choice_inputs(f)}{hint}</fieldset>'
        if f.other_key:
            errors += f'<p class="ipw-error" data-error-for="{f.other_key}" hidden></p>'
    else:
        body = f'<label for="ipw-{f.key}">{_e(label)}{need}</label>{hint}{_text_input(f)}'
    return f'<div class="ipw-field" data-field="{f.key}">{body}{errors}</div>'


def form_html() -> str:
    """The fillable form, one HTML block (no blank line, so Markdown leaves it alone)."""
    others = set(form.other_fields())
    fields = "".join(_field_html(f) for f in form.FIELDS if f.key not in others)
    schema = form.schema_json().replace("</", "<\\/")
    return (
        f'<script type="application/json" id="ipw-form-schema">{schema}</script>'
        '<div id="ipw-summary" class="ipw-summary" role="alert" hidden></div>'
        f'<form id="ipw-form" class="ipw-form" novalidate autocomplete="on">{fields}'
        '<div class="ipw-actions"><button type="submit" id="ipw-check" class="md-button md-button--primary">检查填写内容</button>'
        '<button type="button" id="ipw-export" class="md-button" disabled>导出申请书文件（.json）</button>'
        '<button type="button" id="ipw-print-button" class="md-button" disabled>打印申请书（A4）</button></div>'
        '<p id="ipw-status" class="ipw-status" aria-live="polite"></p></form>'
        '<div id="ipw-print" class="ipw-print"></div>'
        '<script src="../assets/intake-form.js"></script>'
    )


def _contacts(settings) -> list[str]:
    lines = []
    for number, dept in enumerate(settings["departments"], start=1):
        lines.append(f"{number}. **{dept['name']}**  ")
        lines.append(f"   地址：{dept['address']}  ")
        lines.append(f"   电话：{dept['phone']}")
    return lines


def _steps(settings) -> list[str]:
    days = settings["service_level"]
    lines = ["| 环节 | 内部办理时限 |", "|---|---|"]
    for status, key in SLA_KEYS.items():
        lines.append(f"| {STEP_TEXT[status]} | {days[key]} 个工作日 |")
    return lines


def page(settings) -> str:
    office = settings["office"]
    kinds = "、".join(c.label for c in choices.APPLICANT_TYPES)
    lines = [
        "# 海外知识产权纠纷应对指导申请",
        "",
        f"依据{office['notice_number']}{NOTICE_TITLE}，"
        "我区涉外企业遇到海外知识产权纠纷，需要区市场监管局、区版权局、区工信局予以协调处理的，"
        "可以填写《海外知识产权纠纷应对指导申请书》，连同材料报送三部门。",
        "",
        "## 谁可以申请",
        "",
        "我区涉外企业，包括进出口企业、外贸企业、中外合资经营企业与外国企业合作生产、合作经营的企业"
        "和在我区境内生产经营的外资企业等，涉及国外知识产权保护或维权援助事项的；中小微企业是重点援助对象。"
        f"申请书中的申请人类别为：{kinds}。",
        "",
        "## 需要报送的材料",
        "",
        "1. 《海外知识产权纠纷应对指导申请书》（在本页填写后打印，或下载 Word 申请书填写）；",
    ]
    lines += [f"{i}. {name}（{example}）；" for i, (name, example) in enumerate(MATERIALS, start=2)]
    lines += [
        "",
        "报送后请拨打下列部门电话，及时沟通有关情况。",
        "",
        "## 办理步骤",
        "",
        "1. 三部门收到申请书后作出受理决定；材料不全的，通知补充材料；不予受理的，告知理由。",
        "2. 受理后主动与申请人对接，在充分沟通了解具体需求的基础上，共同会商研究。",
        "3. 出具《海外知识产权纠纷应对行政指导意见书》，指导应对海外知识产权纠纷。",
        "4. 涉及知识产权疑难事项以及产业发展或经济安全的重要国际化贸易知识产权事项，"
        "区市场监督管理局协调区版权局、区工信局作为重大涉外知识产权纠纷信息，联系通报省、市级有关部门"
        "或国家海外知识产权纠纷应对指导中心。",
        "",
        "各环节的内部办理时限（本局工作安排，按工作日计算，法定节假日不计）：",
        "",
        *_steps(settings),
        "",
        "## 联系方式",
        "",
        *_contacts(settings),
        "",
        "## 在线填写申请书",
        "",
        "在下面填写后点“检查填写内容”；检查通过后可导出申请书文件（随材料一并报送，便于工作人员导入）"
        "并打印申请书（A4，格式同附件1）。填写的内容只保存在您的浏览器中，本网站不接收、不保存任何数据。"
        f"也可以[下载 Word 申请书]({WORD_FORM.split('/')[-1]})填写。",
        "",
        form_html(),
        "",
        "## 个人信息保护说明",
        "",
        "- **用途**：申请书中的联系人姓名、邮箱、电话和联系地址，仅用于办理本申请（联系对接、会商、"
        "出具意见书、必要时向上级部门通报）。申请人名称、统一社会信用代码和纠纷情况按商业秘密保密，"
        "不在网站、报告中公开；风险预警报告只使用去除身份信息的统计数字。",
        "- **保存**：联系人信息与案件资料分开保存在三部门的办公电脑中，"
        f"在结案或不予受理后 {settings['privacy']['retention_days']} 天删除。",
        "- **本网页**：填写和检查都在您的浏览器中完成，不发送到任何服务器。",
        "- **您的权利**：依照《中华人民共和国个人信息保护法》第四十四条至第四十七条，您可以查阅、复制、"
        "更正、补充或要求删除您的个人信息，请与上述部门联系。法律全文见"
        f"[国家法律法规数据库]({LAW_DATABASE})。",
        "",
    ]
    return "\n".join(lines)


def generate(ctx) -> None:
    ctx.write("intake/index.md", page(ctx.settings))
    ctx.write_bytes(WORD_FORM, docxutil.to_bytes(formdocx.blank_form()))
