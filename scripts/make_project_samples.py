#!/usr/bin/env python3
"""Sample project forms (项目支出绩效自评表) with ground truth.

The project family (docs/forms.md §1): the Ministry of Finance template of 财预〔2020〕10号
(portrait A4, header with 项目名称 / 主管部门 / 实施单位, a funds block 项目资金（万元）,
年度总体目标, an indicator table 一级/二级/三级 → 年度指标值, 实际完成值, 分值, 得分,
偏差原因分析及改进措施, 总分 and sometimes 自评等级) and local versions of it. Each form is
built as an .xlsx with openpyxl and exported by LibreOffice (``ms.export_pdf``, then
``ms.normalize_pdf``) to ``samples/project/NAME.pdf`` beside ``NAME.truth.json``; one form is
typed into Word tables (python-docx) and exported by Writer.

    python -m scripts.make_project_samples                   # samples/project + scans
    python -m scripts.make_project_samples --only proj_mof_2023 --out /tmp/x --no-scans
    python -m scripts.make_project_samples --scans-only      # samples/scanned/proj_* only
    python -m scripts.make_project_samples --unseen /tmp/unseen   # held-out forms + scans

Samples (findings injected in brackets):

- ``proj_mof_2023``: the standard template, 2 pages, with 自评等级 (none).
- ``proj_inline_2022``: weights in the names (``产出指标（50分）``, ``数量指标（20分）``),
  ``权重`` instead of ``分值``, no 自评等级 (execution_score_mismatch).
- ``proj_execrow_2021``: 预算执行率 as a row of the indicator table (分值 10); the funds
  block has only 调整后预算数 / 全年执行数 / 执行率 (budget_rate_mismatch).
- ``proj_local_2024``: a local template: 指标性质 and 度量单位 columns, 分值 before
  年度指标值, 产出 70 / 效益 20, 3 pages (grade_mismatch, score_exceeds_max).
- ``proj_bad_2020``: amounts in 元; 产出 leaf maxima add to 48 (total_max_mismatch,
  total_score_mismatch).
- ``proj_multi_2023``: three forms of one unit in one PDF, each from a new page.
- ``proj_word_2022``: typed in Word tables, 3 pages, a 二级 cell split by a page break.
- ``notform_target_2023``: a 项目支出绩效目标申报表 (no scores): to be refused.

Truth decisions (the brief left these open): ``extra`` holds the cells of columns with no
standard role keyed by their printed header; 年度指标值 of a local form with 指标性质 /
度量单位 columns holds only the printed number (``50``), and so does 实际完成值; a
sub-row's ``—`` is null; the forms in ``proj_multi_2023`` carry ``first_page`` (1-based page
of the PDF where each starts) besides ``pages`` (its own page count). The funds-block
得分 and the in-table 预算执行率 得分 are printed with 2 decimals, rates with 2.

Deterministic: every random choice comes from ``random.Random(seed)`` per form, and the
exports are normalised to be byte-reproducible.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from scripts import make_samples as ms

ROOT = ms.ROOT
DEFAULT_OUT = ROOT / "samples" / "project"
DEFAULT_SCAN_OUT = ms.DEFAULT_SCAN_OUT
TOL = 0.001
RATE_DECIMALS = 2  # every form prints 执行率 with 2 decimals
SCORE_DECIMALS = 2  # ... and the funds 得分 / in-table 预算执行率 得分 with 2
TITLE = "项目支出绩效自评表"
REFUSED = "not a known self-evaluation form"

FUND_ROWS = ["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]
FUND_ROW_LABEL = {"当年财政拨款": "其中：当年财政拨款"}
MONEY_COLS = ("年初预算数", "全年预算数", "全年执行数")
EXEC_NAME = "预算执行率"

# short key of a 二级 → (一级, 二级)
G2 = {
    "数量": ("产出指标", "数量指标"), "质量": ("产出指标", "质量指标"),
    "时效": ("产出指标", "时效指标"), "成本": ("产出指标", "成本指标"),
    "经济": ("效益指标", "经济效益指标"), "社会": ("效益指标", "社会效益指标"),
    "生态": ("效益指标", "生态效益指标"), "可持续": ("效益指标", "可持续影响指标"),
    "满意度": ("满意度指标", "服务对象满意度指标"),
}
LEVEL1_ORDER = ["产出指标", "效益指标", "满意度指标"]

# indicator-table roles → printed header
HEADERS = {"l1": "一级指标", "l2": "二级指标", "ind": "三级指标", "nature": "指标性质",
           "unit": "度量单位", "target": "年度指标值", "actual": "实际完成值", "max": "分值",
           "score": "得分", "reason": "偏差原因分析及改进措施"}
ROLE_WIDTH = {"l1": 7, "l2": 8, "ind": 14, "nature": 5, "unit": 5.5, "target": 11, "actual": 10,
              "max": 6.5, "score": 6.5, "reason": 18}
STANDARD_COLUMNS = ["l1", "l2", "ind", "target", "actual", "max", "score", "reason"]
EXTRA_ROLES = ("nature", "unit")  # columns with no standard role: their text goes to "extra"


# --------------------------------------------------------------------------- content
@dataclass(frozen=True)
class Project:
    name: str
    department: str
    unit: str
    purpose: str
    # 二级 short key → [(三级 name, op, value, unit, actual when met, actual when missed)];
    # op: ≥ ≤ = (numeric), "date" or "text" (the value is the whole target)
    leaves: dict[str, list[tuple[str, str, str, str, str, str]]]


PROJECTS: dict[str, Project] = {
    "edu": Project(
        "教学设备更新及家庭经济困难学生资助项目", "广州市海珠区教育局", "广州市海珠区第一中学",
        "更新教学设备，改善学校办学条件；按标准资助家庭经济困难学生，保障学生顺利完成学业", {
            "数量": [("资助学生人数", "≥", "50", "人", "52", "46"),
                   ("采购教学设备数量", "≥", "120", "台", "126", "108"),
                   ("更新功能室数量", "=", "4", "间", "4", "3"),
                   ("开展教师设备使用培训场次", "≥", "6", "场", "6", "4")],
            "质量": [("设备验收合格率", "=", "100", "%", "100", "96.5"),
                   ("资助对象认定准确率", "=", "100", "%", "100", "98"),
                   ("资助资金足额发放率", "=", "100", "%", "100", "97.2")],
            "时效": [("项目完成及时率", "=", "100", "%", "100", "90"),
                   ("资助资金发放时间", "date", "{y}年12月前", "", "{y}年11月完成", "{n}年1月完成")],
            "成本": [("设备采购成本控制率", "≤", "100", "%", "98.6", "103.5"),
                   ("生均资助标准", "=", "2500", "元/年", "2500", "2300")],
            "社会": [("家庭经济困难学生受助覆盖率", "=", "100", "%", "100", "95"),
                   ("教学条件改善程度", "text", "明显改善", "", "明显改善", "有所改善"),
                   ("受助学生因经济困难辍学人数", "=", "0", "人", "0", "1")],
            "可持续": [("设备正常使用年限", "≥", "5", "年", "5", "4"),
                    ("资助长效机制建立情况", "text", "建立并有效运行", "", "已建立并有效运行", "初步建立")],
            "满意度": [("学生满意度", "≥", "90", "%", "95.3", "86.4"),
                    ("家长满意度", "≥", "90", "%", "93.8", "85.1"),
                    ("教师满意度", "≥", "90", "%", "96.1", "87.5")],
        }),
    "health": Project(
        "基本公共卫生服务项目", "广州市越秀区卫生健康局", "广州市越秀区疾病预防控制中心",
        "为辖区常住居民免费提供基本公共卫生服务，提高居民健康素养水平，做好老年人、慢性病患者等重点人群健康管理", {
            "数量": [("居民电子健康档案建档人数", "≥", "85", "万人", "87.6", "82.3"),
                   ("65岁及以上老年人健康管理人数", "≥", "6.5", "万人", "6.8", "6.1"),
                   ("高血压患者规范管理人数", "≥", "3.2", "万人", "3.4", "3.0"),
                   ("健康教育讲座次数", "≥", "240", "次", "256", "210")],
            "质量": [("电子健康档案合格率", "≥", "90", "%", "93.5", "86.2"),
                   ("适龄儿童免疫规划疫苗接种率", "≥", "95", "%", "97.8", "93.1"),
                   ("高血压患者规范管理率", "≥", "60", "%", "64.2", "57.3"),
                   ("传染病报告及时率", "=", "100", "%", "100", "98.6")],
            "时效": [("补助资金拨付及时率", "=", "100", "%", "100", "92"),
                   ("年度服务任务完成时间", "date", "{y}年12月31日前", "", "{y}年12月完成", "{n}年2月完成")],
            "成本": [("人均基本公共卫生服务经费补助标准", "≥", "84", "元", "84", "79")],
            "社会": [("居民健康素养水平", "≥", "30", "%", "33.6", "28.1"),
                   ("重点人群健康管理覆盖面", "text", "逐年提高", "", "较上年提高", "与上年持平"),
                   ("甲乙类传染病暴发疫情处置率", "=", "100", "%", "100", "95")],
            "可持续": [("基层医疗卫生机构服务能力", "text", "持续提升", "", "持续提升", "略有提升")],
            "满意度": [("居民对基本公共卫生服务满意度", "≥", "85", "%", "91.2", "82.6"),
                    ("签约居民满意度", "≥", "85", "%", "90.5", "83.7")],
        }),
    "cgzf": Project(
        "生活垃圾分类处理服务经费", "广州市荔湾区城市管理和综合执法局", "广州市荔湾区环境卫生服务中心",
        "推进生活垃圾分类投放、收集、运输和处理，提高生活垃圾回收利用率和无害化处理率，改善城市人居环境", {
            "数量": [("生活垃圾分类收运量", "≥", "28", "万吨", "29.4", "26.7"),
                   ("垃圾分类投放点改造数量", "≥", "350", "个", "362", "318"),
                   ("开展垃圾分类宣传活动次数", "≥", "120", "次", "135", "98"),
                   ("配置分类收集容器数量", "≥", "2000", "个", "2150", "1760")],
            "质量": [("生活垃圾无害化处理率", "=", "100", "%", "100", "98.2"),
                   ("居民垃圾分类知晓率", "≥", "95", "%", "97.3", "92.4"),
                   ("收运车辆密闭化率", "=", "100", "%", "100", "96")],
            "时效": [("生活垃圾日产日清率", "=", "100", "%", "100", "97.5"),
                   ("投放点改造完成时间", "date", "{y}年10月前", "", "{y}年9月完成", "{y}年12月完成")],
            "成本": [("生活垃圾处理单价", "≤", "235", "元/吨", "232", "241")],
            "经济": [("可回收物资源化利用收益", "≥", "150", "万元", "168.5", "132.4")],
            "社会": [("生活垃圾回收利用率", "≥", "38", "%", "40.2", "35.6"),
                   ("市容环境卫生投诉办结率", "=", "100", "%", "100", "96.8")],
            "生态": [("原生生活垃圾零填埋", "text", "实现", "", "已实现", "基本实现")],
            "满意度": [("辖区居民满意度", "≥", "90", "%", "92.6", "88.3"),
                    ("保洁作业人员满意度", "≥", "85", "%", "89.4", "83.2")],
        }),
    "agri": Project(
        "高标准农田建设及耕地质量提升项目", "广州市白云区农业农村局", "广州市白云区农业技术推广中心",
        "新建和改造提升高标准农田，完善农田水利和机耕路配套设施，推广测土配方施肥，提升耕地质量和粮食综合生产能力", {
            "数量": [("新建高标准农田面积", "≥", "3000", "亩", "3120", "2760"),
                   ("改造提升农田水利渠道长度", "≥", "12", "公里", "12.6", "10.8"),
                   ("新建机耕路长度", "≥", "8", "公里", "8.3", "7.1"),
                   ("耕地质量监测点数量", "=", "20", "个", "20", "18"),
                   ("开展农业技术培训人次", "≥", "500", "人次", "568", "430"),
                   ("推广测土配方施肥面积", "≥", "5", "万亩", "5.4", "4.6")],
            "质量": [("工程验收合格率", "=", "100", "%", "100", "95"),
                   ("耕地质量等级提升", "≥", "0.5", "等", "0.6", "0.3"),
                   ("项目资料归档完整率", "=", "100", "%", "100", "92")],
            "时效": [("项目完工时间", "≤", "12", "月", "11", "14"),
                   ("资金拨付及时率", "≥", "95", "%", "98", "88")],
            "成本": [("亩均建设成本", "≤", "3000", "元/亩", "2960", "3150")],
            "经济": [("项目区粮食亩产增加", "≥", "50", "公斤", "56", "42"),
                   ("项目区农户年均增收", "≥", "800", "元", "860", "720")],
            "社会": [("受益农户数", "≥", "1200", "户", "1265", "1080")],
            "生态": [("项目区化肥使用量减少", "≥", "5", "%", "6.2", "3.8")],
            "可持续": [("工程设施正常运行年限", "≥", "10", "年", "10", "8")],
        }),
    "civil": Project(
        "长者饭堂及居家养老服务补贴", "广州市番禺区民政局", "广州市番禺区社会福利服务中心",
        "为辖区老年人提供助餐配餐、上门探访和居家养老服务，完善社区居家养老服务体系，提升老年人生活质量", {
            "数量": [("长者饭堂运营数量", "≥", "45", "个", "47", "41"),
                   ("享受助餐服务老年人数", "≥", "6000", "人", "6380", "5420"),
                   ("居家养老服务时长", "≥", "12", "万小时", "12.8", "10.6"),
                   ("上门探访独居老人人次", "≥", "3000", "人次", "3260", "2710")],
            "质量": [("长者饭堂食品安全检查合格率", "=", "100", "%", "100", "97"),
                   ("服务记录完整率", "≥", "95", "%", "98.2", "91.5")],
            "时效": [("补贴资金按季度拨付率", "=", "100", "%", "100", "75"),
                   ("服务需求响应时间", "≤", "24", "小时", "12", "36")],
            "成本": [("每餐助餐补贴标准", "≤", "10", "元", "10", "12")],
            "社会": [("老年人助餐服务覆盖率", "≥", "80", "%", "85.6", "76.2"),
                   ("居家养老服务网络覆盖率", "=", "100", "%", "100", "94.1")],
            "可持续": [("社区养老服务长效运营机制", "text", "建立健全", "", "已建立健全", "正在完善")],
            "满意度": [("服务对象满意度", "≥", "90", "%", "94.7", "87.2"),
                    ("老年人家属满意度", "≥", "85", "%", "91.3", "84.1")],
        }),
    "culture": Project(
        "公共文化服务体系建设及基层文化活动经费", "广州市天河区文化广电旅游体育局", "广州市天河区文化馆",
        "完善区、街、社区三级公共文化服务网络，常态化开展公益文化活动和艺术培训，丰富群众精神文化生活", {
            "数量": [("举办公益文化活动场次", "≥", "300", "场", "326", "268"),
                   ("开展公益艺术培训班期数", "≥", "40", "期", "44", "35"),
                   ("基层文化服务点数量", "=", "21", "个", "21", "19")],
            "质量": [("安全责任事故发生数", "=", "0", "起", "0", "1"),
                   ("活动方案审核通过率", "=", "100", "%", "100", "95")],
            "时效": [("年度活动计划完成率", "≥", "95", "%", "100", "90")],
            "社会": [("群众参与人次", "≥", "15", "万人次", "16.8", "13.2"),
                   ("公共文化设施免费开放率", "=", "100", "%", "100", "96")],
            "满意度": [("参与群众满意度", "≥", "90", "%", "94.6", "88.2")],
        }),
    "sport": Project(
        "全民健身赛事活动经费", "广州市天河区文化广电旅游体育局", "广州市天河区文化馆",
        "举办群众性体育赛事和全民健身活动，培训社会体育指导员，推动全民健身与全民健康深度融合", {
            "数量": [("举办群众性体育赛事数量", "≥", "25", "项", "28", "21"),
                   ("参赛群众人次", "≥", "2", "万人次", "2.3", "1.7"),
                   ("培训社会体育指导员人数", "≥", "150", "人", "162", "128")],
            "质量": [("赛事组织规范率", "=", "100", "%", "100", "95"),
                   ("赛事安全事故发生数", "=", "0", "起", "0", "1"),
                   ("社会体育指导员持证上岗率", "≥", "90", "%", "96.3", "85.4")],
            "时效": [("赛事按计划举办率", "≥", "95", "%", "100", "88"),
                   ("赛事经费结算及时率", "=", "100", "%", "100", "90")],
            "成本": [("单场赛事平均成本", "≤", "8", "万元", "7.6", "8.9")],
            "社会": [("经常参加体育锻炼人数比例", "≥", "42", "%", "43.5", "40.1"),
                   ("国民体质监测合格率", "≥", "92", "%", "93.1", "90.6")],
            "可持续": [("全民健身赛事品牌影响力", "text", "持续提升", "", "持续提升", "有所提升")],
            "满意度": [("参赛群众满意度", "≥", "90", "%", "94.2", "87.9"),
                    ("赛事志愿者满意度", "≥", "85", "%", "91.5", "83.0")],
        }),
    "heritage": Project(
        "非物质文化遗产保护传承项目", "广州市天河区文化广电旅游体育局", "广州市天河区文化馆",
        "开展非物质文化遗产调查记录和建档，扶持代表性传承人开展传习活动，推动非遗进校园、进社区", {
            "数量": [("非遗项目记录建档数量", "≥", "12", "项", "12", "10"),
                   ("开展非遗进校园进社区活动", "≥", "30", "场", "34", "26"),
                   ("扶持非遗代表性传承人数", "=", "15", "人", "15", "13")],
            "质量": [("非遗档案资料完整率", "=", "100", "%", "100", "93")],
            "时效": [("项目完成时间", "date", "{y}年12月前", "", "{y}年12月完成", "{n}年3月完成")],
            "社会": [("非遗传承人群体规模", "text", "稳步扩大", "", "稳步扩大", "基本稳定")],
            "可持续": [("非遗保护传承机制", "text", "持续完善", "", "持续完善", "有待完善")],
            "满意度": [("活动参与群众满意度", "≥", "90", "%", "95.1", "88.6")],
        }),
    "rural": Project(
        "农村人居环境整治专项经费", "广州市从化区农业农村局", "广州市从化区鳌头镇人民政府",
        "全面推进农村生活垃圾、生活污水治理和厕所革命，开展村庄清洁行动，建立村庄保洁长效管护机制，建设美丽宜居乡村", {
            "数量": [("村庄保洁覆盖自然村数量", "=", "86", "个", "86", "80"),
                   ("新建改造农村公厕数量", "≥", "24", "座", "25", "19"),
                   ("农村生活污水处理设施新建数量", "≥", "12", "座", "12", "9"),
                   ("清理村内沟渠塘长度", "≥", "35", "公里", "38.5", "30.2"),
                   ("建设美丽庭院户数", "≥", "300", "户", "326", "254")],
            "质量": [("农村生活垃圾有效处理率", "≥", "95", "%", "98.6", "92.1"),
                   ("农村公厕验收合格率", "=", "100", "%", "100", "96"),
                   ("污水处理设施出水达标率", "≥", "90", "%", "93.4", "86.7")],
            "时效": [("年度整治任务完成时间", "date", "{y}年12月底前", "", "{y}年12月完成", "{n}年3月完成"),
                   ("资金拨付及时率", "≥", "95", "%", "100", "84")],
            "成本": [("农村公厕单座建设成本", "≤", "15", "万元", "14.6", "16.2")],
            "经济": [("带动乡村旅游收入增长", "≥", "5", "%", "6.8", "3.5")],
            "社会": [("村庄环境卫生整治达标率", "≥", "90", "%", "95.3", "87.4"),
                   ("农户卫生厕所普及率", "≥", "98", "%", "99.2", "96.8")],
            "生态": [("农村黑臭水体消除比例", "=", "100", "%", "100", "90")],
            "可持续": [("村庄保洁长效管护机制", "text", "建立并有效运行", "", "已建立并有效运行", "初步建立"),
                    ("设施管护责任落实率", "=", "100", "%", "100", "93")],
            "满意度": [("村民满意度", "≥", "90", "%", "93.6", "86.9"),
                    ("游客满意度", "≥", "85", "%", "90.4", "82.7")],
        }),
    "water": Project(
        "河涌保洁及河长制工作经费", "广州市黄埔区水务局", "广州市黄埔区河涌管理所",
        "落实河长制工作要求，做好辖区河涌日常保洁和巡查，及时处置水环境突发事件，巩固黑臭水体治理成效", {
            "数量": [("河涌保洁长度", "≥", "260", "公里", "268", "241"),
                   ("清理河面漂浮物", "≥", "3200", "吨", "3450", "2870"),
                   ("河长巡河次数", "≥", "5000", "次", "5630", "4410")],
            "质量": [("河涌保洁达标率", "≥", "95", "%", "97.6", "91.8"),
                   ("水质监测断面达标率", "≥", "85", "%", "88.2", "80.3")],
            "时效": [("突发污染事件处置时限", "≤", "2", "小时", "1.5", "3")],
            "成本": [("每公里年保洁成本", "≤", "3.5", "万元", "3.42", "3.76")],
            "社会": [("河涌水环境投诉办结率", "=", "100", "%", "100", "96.5"),
                   ("河长制公示牌信息准确率", "=", "100", "%", "100", "97")],
            "生态": [("黑臭水体返黑返臭数量", "=", "0", "条", "0", "1"),
                   ("河涌水质达到Ⅴ类及以上比例", "≥", "80", "%", "84.5", "76.2")],
            "可持续": [("河长制长效管理机制", "text", "持续运行", "", "持续运行", "运行不畅")],
            "满意度": [("沿岸居民满意度", "≥", "90", "%", "93.1", "86.4"),
                    ("河长制工作群众知晓率", "≥", "85", "%", "90.2", "81.7")],
        }),
    "market": Project(
        "食品安全抽检及快检经费", "广州市南沙区市场监督管理局", "广州市南沙区食品药品检验所",
        "按计划开展食品安全监督抽检、农贸市场快检和风险监测，及时核查处置不合格食品，守住不发生重大食品安全事故的底线", {
            "数量": [("食品安全监督抽检批次", "≥", "4000", "批次", "4215", "3620"),
                   ("农贸市场快检批次", "≥", "30000", "批次", "32650", "27400"),
                   ("风险监测样品数量", "≥", "600", "个", "628", "540")],
            "质量": [("不合格食品核查处置率", "=", "100", "%", "100", "95.2"),
                   ("检验报告差错率", "≤", "1", "%", "0.3", "1.6")],
            "时效": [("抽检结果公布及时率", "=", "100", "%", "100", "91"),
                   ("快检结果出具时间", "≤", "30", "分钟", "20", "45")],
            "成本": [("单批次抽检平均成本", "≤", "1200", "元", "1160", "1260")],
            "社会": [("重大食品安全事故发生数", "=", "0", "起", "0", "1"),
                   ("食品安全公众满意度提升", "≥", "2", "个百分点", "2.6", "1.1"),
                   ("抽检信息公开率", "=", "100", "%", "100", "92")],
            "可持续": [("食品安全风险预警机制", "text", "持续完善", "", "持续完善", "有待完善")],
            "满意度": [("消费者满意度", "≥", "85", "%", "89.7", "82.5"),
                    ("被抽检经营户满意度", "≥", "80", "%", "86.3", "78.4")],
        }),
}

REASONS = ["受疫情影响，部分线下活动延期举办", "项目招标采购程序耗时较长，实施进度滞后",
           "部分点位受用地协调影响未能按期开工", "服务对象需求变化，实际数量低于年初预期",
           "上级资金下达较晚，项目启动时间推迟", "部分供应商履约不到位，验收时发现问题需返工"]
MEASURES = ["加强项目前期谋划，合理安排实施进度", "建立月度调度机制，及时跟踪项目进展",
            "加强与相关部门沟通协调，确保按期完成", "完善绩效目标设置，提高指标的科学性和可实现性",
            "加强合同履约管理和过程监督"]
SHORT_REASONS = ["无偏差", "已完成", "达到预期目标", "按计划完成", "无"]


# --------------------------------------------------------------------------- model
@dataclass
class Leaf:
    name: str
    max: float | None
    score: float | None
    target: str = ""
    actual: str = ""
    reason: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Group:
    name: str
    leaves: list[Leaf]
    max: float | None = None  # printed (a weight in the name); None when the form has none


@dataclass
class Level1:
    name: str
    groups: list[Group]
    max: float | None = None


@dataclass
class Funds:
    unit: str  # 万元 / 元 (the caption's)
    columns: list[tuple[str, str]]  # (canonical column, printed header)
    values: dict[str, dict[str, float | None]]  # row → canonical column → value (None: —)


@dataclass
class Variant:
    columns: list[str] = field(default_factory=lambda: list(STANDARD_COLUMNS))
    weight_header: str = "分值"
    inline: str = ""  # "" | "both" (一级 and 二级 names carry the weight) | "level2"
    exec_row: str = ""  # "" | "top" | "bottom": 预算执行率 as a row of the indicator table
    grade: bool = False
    max_fmt: str = "0"
    score_fmt: str = "0.0"


@dataclass
class PForm:
    name: str
    project: str
    department: str
    unit_name: str
    year: int
    funds: Funds
    goal_expected: str
    goal_actual: str
    level1s: list[Level1]
    exec_leaf: Leaf | None
    declared_total: float
    grade: str  # printed 自评等级 ("" when the form prints none)
    variant: Variant
    font: str
    size: float
    injected: list[tuple[str, str]] = field(default_factory=list)
    pages_wanted: tuple[int, int] = (2, 2)
    pad0: float = 0.0
    widths: list[float] = field(default_factory=list)

    def leaves(self) -> list[tuple[Level1, Group, Leaf]]:
        return [(l1, g, lf) for l1 in self.level1s for g in l1.groups for lf in g.leaves]


# --------------------------------------------------------------------------- checker
def grade_of(total: float) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


def _percent(text: str) -> float | None:
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%\s*", text or "")
    return float(m.group(1)) if m else None


def check_project_truth(truth: dict[str, Any]) -> list[dict[str, str]]:
    """Findings recomputed from one project form's truth (the rules of the project family):
    independent of the generator, it reads only the truth dict."""
    out: list[dict[str, str]] = []
    inds = truth["indicators"]

    def path(*names: str) -> str:
        return "/".join(n for n in names if n)

    for it in inds:
        loc = path(it["level1"], it["level2"], it["indicator"])
        if it["max_score"] is None or it["score"] is None:
            out.append({"rule": "missing_value", "location": loc})
            continue
        if it["score"] > it["max_score"] + TOL:
            out.append({"rule": "score_exceeds_max", "location": loc})
        if it["score"] < -TOL:
            out.append({"rule": "negative_score", "location": loc})
    # printed 二级 / 一级 maxima against their children
    l2: dict[tuple[str, str], list[Any]] = {}
    l1: dict[str, list[Any]] = {}
    for it in inds:
        g = l2.setdefault((it["level1"], it["level2"]), [it["level2_max"], 0.0])
        g[1] += it["max_score"] or 0.0
        p = l1.setdefault(it["level1"], [it["level1_max"], 0.0])
        p[1] += it["max_score"] or 0.0
    for (a, b), (mx, s) in l2.items():
        if b and mx is not None and abs(mx - s) > TOL + 1e-9:
            out.append({"rule": "children_max_sum_mismatch", "location": path(a, b)})
    for a, (mx, _s) in l1.items():
        if mx is None:
            continue
        share = sum((gm if gm is not None and b else gs) for (aa, b), (gm, gs) in l2.items() if aa == a)
        if abs(mx - share) > TOL + 1e-9:
            out.append({"rule": "children_max_sum_mismatch", "location": a})
    cell = {(b["row"], b["column"]): b["value"] for b in truth["budget"]}
    fund_max = cell.get(("年度资金总额", "分值"))
    fund_score = cell.get(("年度资金总额", "得分"))
    total_max = sum(mx if mx is not None else s for mx, s in l1.values()) + (fund_max or 0.0)
    if abs(total_max - truth["total_max"]) > TOL + 1e-9:
        out.append({"rule": "total_max_mismatch", "location": "总分"})
    leaf_sum = sum(it["score"] for it in inds if it["score"] is not None) + (fund_score or 0.0)
    if truth["declared_total"] is None or abs(leaf_sum - truth["declared_total"]) > TOL + 1e-9:
        out.append({"rule": "total_score_mismatch", "location": "总分"})
    # funds block: rates and the execution score
    for row in FUND_ROWS:
        bud, exe, rate = cell.get((row, "全年预算数")), cell.get((row, "全年执行数")), cell.get((row, "执行率"))
        if bud in (None, 0) or exe is None or rate is None:
            continue
        if abs(rate - round(exe / bud * 100, RATE_DECIMALS)) > 0.01 + 1e-9:
            out.append({"rule": "budget_rate_mismatch", "location": f"执行率/{row}"})
    rate = cell.get(("年度资金总额", "执行率"))
    if fund_max is not None and fund_score is not None and rate is not None:
        want = round(min(rate, 100.0) / 100 * fund_max, SCORE_DECIMALS)
        if abs(fund_score - want) > TOL + 1e-9:
            out.append({"rule": "execution_score_mismatch", "location": "得分/年度资金总额"})
    for it in inds:
        if it["indicator"] != EXEC_NAME or it["max_score"] is None or it["score"] is None:
            continue
        r = _percent(it["actual"])
        r = rate if r is None else r
        if r is None:
            continue
        want = round(min(r, 100.0) / 100 * it["max_score"], SCORE_DECIMALS)
        if abs(it["score"] - want) > TOL + 1e-9:
            out.append({"rule": "execution_score_mismatch",
                        "location": path(it["level1"], it["level2"], it["indicator"])})
    if (truth.get("grade") and truth["declared_total"] is not None
            and truth["grade"] != grade_of(truth["declared_total"])):
        out.append({"rule": "grade_mismatch", "location": "自评等级"})
    return out


def finding_keys(findings: list[dict[str, str]]) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["location"]) for f in findings)


# --------------------------------------------------------------------------- truth
def form_truth(form: PForm, pages: int) -> dict[str, Any]:
    """The truth of one form; raises when the checker's findings differ from the injected."""
    budget = []
    for row in FUND_ROWS:
        for col, _printed in form.funds.columns:
            budget.append({"row": row, "column": col, "value": form.funds.values[row][col],
                           "unit": form.funds.unit if col in MONEY_COLS else ""})

    def item(l1: str, l1max: float | None, l2: str, l2max: float | None, lf: Leaf) -> dict[str, Any]:
        return {"level1": l1, "level1_max": l1max, "level2": l2, "level2_max": l2max,
                "indicator": lf.name, "max_score": lf.max, "score": lf.score,
                "target": lf.target, "actual": lf.actual, "explanation": "", "criteria": "",
                "basis": lf.reason, "extra": dict(lf.extra)}

    inds = [item(l1.name, l1.max, g.name, g.max, lf) for l1, g, lf in form.leaves()]
    if form.exec_leaf is not None:
        ex = item(EXEC_NAME, None, "", None, form.exec_leaf)
        inds = [ex] + inds if form.variant.exec_row == "top" else inds + [ex]
    truth: dict[str, Any] = {
        "file": f"{form.name}.pdf", "form_type": "project", "layout": "project",
        "project_name": form.project, "department": form.department, "unit_name": form.unit_name,
        "year": form.year, "pages": pages, "budget": budget,
        "goals": {"expected": form.goal_expected, "actual": form.goal_actual},
        "indicators": inds, "total_max": 100, "declared_total": form.declared_total,
        "grade": form.grade,
        "findings": [{"rule": r, "location": loc} for r, loc in form.injected],
    }
    got = finding_keys(check_project_truth(truth))
    want = finding_keys(truth["findings"])
    if got != want:
        raise AssertionError(f"{form.name}: checker found {got}, injected {want}")
    return truth


# --------------------------------------------------------------------------- generation
def target_text(rng: random.Random, op: str, v: str, u: str, y: int) -> str:
    v = v.format(y=y, n=y + 1)
    if op == "≥":
        return rng.choice([f"≥{v}{u}", f"≥{v}{u}", f"不低于{v}{u}"])
    if op == "≤":
        return rng.choice([f"≤{v}{u}", f"≤{v}{u}", f"不高于{v}{u}"])
    if op == "=":
        return f"{v}{u}"
    return v


def make_funds(rng: random.Random, unit: str, columns: list[tuple[str, str]],
               rate_error: float = 0.0, score_override: float | None = None) -> tuple[Funds, float, float]:
    """A funds block whose sub-rows add up to the total row; returns (funds, printed rate,
    score that rate earns out of 10)."""
    while True:
        if unit == "万元":
            init = rng.randint(60, 2500) * 100 + rng.randint(0, 99)
        else:
            init = rng.randint(600_000, 24_000_000) * 100 + rng.randint(0, 99)
        full = init if rng.random() < 0.4 else int(init * rng.uniform(0.88, 1.12))
        carry = 0 if rng.random() < 0.45 else int(full * rng.uniform(0.03, 0.15))
        other = 0 if rng.random() < 0.6 else int(full * rng.uniform(0.02, 0.08))
        other_init = 0 if other == 0 else int(init * rng.uniform(0.02, 0.08))
        execd = int(full * rng.uniform(0.86, 0.995))
        rate = round(execd / full * 100, RATE_DECIMALS)
        if round(rate * 100) % 10 != 5:  # no half-way 得分 (rate / 10 at 2 decimals)
            break
    e_carry = int(carry * rng.uniform(0.8, 1.0))
    e_other = int(other * rng.uniform(0.7, 1.0))
    cents = {
        "年初预算数": [init, init - other_init, 0, other_init],
        "全年预算数": [full, full - carry - other, carry, other],
        "全年执行数": [execd, execd - e_carry - e_other, e_carry, e_other],
    }
    printed_rate = round(rate + rate_error, RATE_DECIMALS)
    score = round(min(printed_rate, 100.0) / 100 * 10, SCORE_DECIMALS)
    values: dict[str, dict[str, float | None]] = {}
    for i, row in enumerate(FUND_ROWS):
        v: dict[str, float | None] = {}
        for col, _ in columns:
            if col in cents:
                v[col] = round(cents[col][i] / 100, 2)
            elif i == 0:
                v[col] = {"分值": 10.0, "执行率": printed_rate,
                          "得分": score if score_override is None else score_override}[col]
            else:
                v[col] = None
        values[row] = v
    return Funds(unit, columns, values), printed_rate, score


STANDARD_FUNDS = [("年初预算数", "年初预算数"), ("全年预算数", "全年预算数"), ("全年执行数", "全年执行数"),
                  ("分值", "分值"), ("执行率", "执行率"), ("得分", "得分")]
LETTERED_FUNDS = [("年初预算数", "年初预算数"), ("全年预算数", "全年预算数（A）"),
                  ("全年执行数", "全年执行数（B）"), ("分值", "分值"), ("执行率", "执行率（B/A）"), ("得分", "得分")]


@dataclass
class Spec:
    name: str
    project: str
    year: int
    seed: int
    variant: Variant
    funds_columns: list[tuple[str, str]]
    weights: dict[str, int]  # 一级 → sum of its leaf maxima
    unit: str = "万元"
    n_leaves: int = 14
    n_under: tuple[int, int] = (1, 2)
    inject: tuple[str, ...] = ()
    pages: tuple[int, int] = (2, 2)
    font: str = "Noto Sans CJK SC"
    size: float = 9
    short_reason: float = 0.5  # share of met leaves with a short reason (others blank)
    long_ok: float = 0.0  # share of met leaves whose reason is a sentence
    deduct: float = 1.0  # scale of the points a missed target loses
    numeric_only: bool = False  # local forms with 指标性质 / 度量单位 columns


def pick_leaves(rng: random.Random, proj: Project, spec: Spec) -> list[tuple[str, tuple[str, str, str, str, str, str]]]:
    items = [(k, it) for k, its in proj.leaves.items() for it in its
             if (G2[k][0] in spec.weights) and (not spec.numeric_only or it[1] in "≥≤=")]
    while len(items) > spec.n_leaves:
        counts: dict[str, int] = {}
        for k, _ in items:
            counts[k] = counts.get(k, 0) + 1
        droppable = [i for i, (k, _) in enumerate(items) if counts[k] > 1]
        if not droppable:
            break
        items.pop(rng.choice(droppable))
    return items


def build_form(spec: Spec) -> PForm:
    rng = random.Random(spec.seed)
    proj = PROJECTS[spec.project]
    v = spec.variant
    y = spec.year
    items = pick_leaves(rng, proj, spec)
    # leaf maxima: each 一级's weight split over its leaves (integers, ≥ 2 where possible)
    maxima: dict[int, float] = {}
    for l1name, weight in spec.weights.items():
        idx = [i for i, (k, _) in enumerate(items) if G2[k][0] == l1name]
        parts = ms.partition(weight, len(idx), rng, lo=2 if weight >= 2 * len(idx) else 1)
        maxima.update({i: float(p) for i, p in zip(idx, parts)})
    # leaves that miss their target and lose points
    n_under = rng.randint(*spec.n_under)
    cands = [i for i in range(len(items)) if maxima[i] >= 2]
    under = set(rng.sample(cands, min(n_under, len(cands))))
    level1s: dict[str, Level1] = {}
    for i, (k, (nm, op, val, u, ok, miss)) in enumerate(items):
        l1n, l2n = G2[k]
        mx = maxima[i]
        missed = i in under
        act = (miss if missed else ok).format(y=y, n=y + 1)
        if "nature" in v.columns:  # local: 指标性质 / 度量单位 columns, bare numbers
            target, actual, extra = val, act, {"指标性质": op, "度量单位": u}
        elif "unit" in v.columns:  # 度量单位 column only: the comparator stays in the target
            numeric = op in "≥≤="
            target = (("" if op == "=" else op) + val) if numeric else val.format(y=y, n=y + 1)
            actual, extra = act, {"度量单位": u if numeric else ""}
        else:
            target = target_text(rng, op, val, u, y)
            actual, extra = (act + u if op in "≥≤=" else act), {}
        if missed:
            d = rng.choice([0.5, 1.0, 1.0, 1.5, 2.0]) * spec.deduct
            score = round(max(mx - min(d, mx - 0.5), 0.0), 1)
            reason = (f"{rng.choice(REASONS)}，{nm}未达到年度指标值。"
                      f"改进措施：{rng.choice(MEASURES)}。")
        else:
            score = mx
            reason = rng.choice(SHORT_REASONS) if rng.random() < spec.short_reason else ""
            if rng.random() < spec.long_ok:
                done_as = act + (u if op in "≥≤=" else "")
                reason = rng.choice([f"{nm}实际完成{done_as}，达到年度指标值。",
                                     f"已按计划完成，{nm}为{done_as}，无偏差。",
                                     f"{nm}{done_as}，完成年度目标，下一步将继续做好相关工作。"])
        lf = Leaf(nm, mx, score, target, actual, reason, extra)
        l1 = level1s.setdefault(l1n, Level1(l1n, []))
        if not l1.groups or l1.groups[-1].name != l2n:
            l1.groups.append(Group(l2n, []))
        l1.groups[-1].leaves.append(lf)
    ordered = [level1s[n] for n in LEVEL1_ORDER if n in level1s]
    if v.inline in ("both", "level2"):
        for l1 in ordered:
            for g in l1.groups:
                g.max = sum(lf.max or 0 for lf in g.leaves)
            if v.inline == "both":
                l1.max = sum(g.max or 0 for g in l1.groups)

    injected: list[tuple[str, str]] = []
    rate_error = 0.0
    score_override = None
    if "rate" in spec.inject:
        rate_error = rng.choice([1.37, -2.14, 1.65])
        injected.append(("budget_rate_mismatch", "执行率/年度资金总额"))
    if "exec_score" in spec.inject:
        score_override = 10.0  # full marks whatever the rate
        injected.append(("execution_score_mismatch", "得分/年度资金总额"))
    funds, rate, score = make_funds(rng, spec.unit, spec.funds_columns, rate_error, score_override)
    exec_leaf = None
    if v.exec_row:
        exec_leaf = Leaf(EXEC_NAME, 10.0, score, "100%", f"{rate:.2f}%",
                         "" if rate >= 95 else "部分项目资金支付进度滞后，下一步将加快支付进度。")
    if "exceeds" in spec.inject:
        _l1, g, lf = rng.choice([(a, b, c) for a, b, c in _all(ordered) if c.score == c.max])
        lf.score = round((lf.max or 0) + 1.0, 1)
        injected.append(("score_exceeds_max", f"{_l1.name}/{g.name}/{lf.name}"))
    if "l2_weight" in spec.inject:
        _l1, g = rng.choice([(a, b) for a in ordered for b in a.groups if a.name == "产出指标"])
        g.max = (g.max or 0) + 2.0
        injected.append(("children_max_sum_mismatch", f"{_l1.name}/{g.name}"))
    if sum(maxima.values()) + 10 != 100:
        injected.append(("total_max_mismatch", "总分"))
    leaf_scores = [lf.score or 0.0 for _a, _b, lf in _all(ordered)]
    fund_score = funds.values["年度资金总额"].get("得分") or 0.0
    total = round(sum(leaf_scores) + fund_score + (exec_leaf.score or 0.0 if exec_leaf else 0.0), 2)
    if "total_score" in spec.inject:
        total = round(total + rng.choice([1.5, 2.0, -1.0]), 2)
        injected.append(("total_score_mismatch", "总分"))
    grade = ""
    if v.grade:
        grade = grade_of(total)
        if "grade" in spec.inject:
            grade = {"优": "良", "良": "优", "中": "良", "差": "中"}[grade]
            injected.append(("grade_mismatch", "自评等级"))

    # 年度总体目标: expected and achieved prose
    flat = [(it, lf) for it, (_a, _b, lf) in zip(items, _all(ordered))]
    cap = rng.choice([130, 160, 200, 200])
    exp = f"{proj.purpose}。"
    bits: list[str] = []
    for (_k, (nm, op, val, u, _ok, _m)), _lf in flat:
        t = target_text(random.Random(nm), op, val, u, y)
        t = t if op in ("date", "text") or t[0] in "≥≤不" else "达到" + t
        if len(exp) + len("；".join(bits + [nm + t])) + 1 > cap:
            break
        bits.append(nm + t)
    exp += "；".join(bits) + "。"
    head = f"截至{y}年12月31日，项目资金执行率{rate:.2f}%。"
    tail = "。年度绩效目标全部完成。" if not under else "。年度绩效目标基本完成，个别指标未达到预期。"
    bits = []
    for (_k, (nm, _op, _val, _u, _ok, _m)), lf in flat:
        bit = nm + lf.actual + (lf.extra.get("度量单位", "") if lf.extra else "")
        if len(head) + len("；".join(bits + [bit])) + len(tail) > cap:
            break
        bits.append(bit)
    done = head + "；".join(bits) + tail
    for text in (exp, done):
        if not 60 <= len(text) <= 200:
            raise AssertionError(f"{spec.name}: goal text of {len(text)} characters: {text}")
    widths = [ROLE_WIDTH[r] for r in v.columns]
    return PForm(spec.name, proj.name, proj.department, proj.unit, y, funds, exp, done, ordered, exec_leaf,
                 total, grade, v, spec.font, spec.size, injected, spec.pages, rng.choice([0.0, 0.1]), widths)


def _all(level1s: list[Level1]) -> list[tuple[Level1, Group, Leaf]]:
    return [(a, b, c) for a in level1s for b in a.groups for c in b.leaves]


# --------------------------------------------------------------------------- the samples
LOCAL_COLUMNS = ["l1", "l2", "ind", "nature", "unit", "max", "target", "actual", "score", "reason"]
UNSEEN_COLUMNS = ["l1", "l2", "ind", "unit", "max", "score", "target", "actual", "reason"]
W = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}

SPECS: list[Spec] = [
    Spec("proj_mof_2023", "edu", 2023, 201, Variant(grade=True), STANDARD_FUNDS, W, n_leaves=17,
         pages=(2, 2), font="Noto Sans CJK SC", size=9.5),
    Spec("proj_inline_2022", "health", 2022, 202,
         Variant(weight_header="权重", inline="both", max_fmt="0.0", score_fmt="0.0"),
         [(c, "权重" if c == "分值" else p) for c, p in LETTERED_FUNDS], W, n_leaves=16,
         inject=("exec_score",), pages=(2, 2), font="Noto Serif CJK SC", size=9),
    Spec("proj_execrow_2021", "cgzf", 2021, 203, Variant(exec_row="bottom", score_fmt="General"),
         [("全年预算数", "调整后预算数"), ("全年执行数", "全年执行数"), ("执行率", "执行率")],
         W, n_leaves=12,
         inject=("rate",), pages=(1, 1), font="WenQuanYi Zen Hei", size=9, short_reason=0.2),
    Spec("proj_local_2024", "agri", 2024, 204, Variant(columns=LOCAL_COLUMNS, grade=True, max_fmt="0.0"),
         STANDARD_FUNDS, {"产出指标": 70, "效益指标": 20}, n_leaves=18, n_under=(2, 3),
         inject=("exceeds", "grade"), pages=(3, 3), font="Noto Sans CJK SC", size=11, numeric_only=True,
         long_ok=0.9),
    Spec("proj_bad_2020", "civil", 2020, 205, Variant(), LETTERED_FUNDS,
         {"产出指标": 48, "效益指标": 30, "满意度指标": 10}, unit="元", n_leaves=14,
         inject=("total_score",), pages=(2, 2), font="Noto Serif CJK SC", size=9.5, short_reason=0.8),
]
MULTI = [
    Spec("proj_multi_2023#1", "culture", 2023, 206, Variant(grade=True), LETTERED_FUNDS, W, n_leaves=10,
         pages=(1, 1), font="Noto Sans CJK SC", size=9),
    Spec("proj_multi_2023#2", "sport", 2023, 207, Variant(grade=True), LETTERED_FUNDS, W, n_leaves=14,
         n_under=(3, 3), deduct=2.0, pages=(2, 2), font="Noto Sans CJK SC", size=10, long_ok=0.5),
    Spec("proj_multi_2023#3", "heritage", 2023, 208, Variant(grade=True), LETTERED_FUNDS, W, n_leaves=8,
         pages=(1, 1), font="Noto Sans CJK SC", size=9),
]
WORD = Spec("proj_word_2022", "rural", 2022, 209, Variant(grade=True), LETTERED_FUNDS, W, n_leaves=22,
            n_under=(4, 5), deduct=1.8, pages=(3, 3), font="Noto Serif CJK SC", size=10.5, short_reason=0.3)
UNSEEN = [
    Spec("unseen_proj_water_2022", "water", 2022, 211, Variant(columns=UNSEEN_COLUMNS, inline="level2"),
         [("年初预算数", "年初预算数"), ("全年预算数", "调整后预算数"), ("全年执行数", "全年执行数"),
          ("分值", "分值"), ("执行率", "执行率"), ("得分", "得分")], W, n_leaves=15,
         n_under=(2, 2), pages=(2, 2), font="WenQuanYi Zen Hei", size=10.5, long_ok=0.6),
    Spec("unseen_proj_market_2023", "market", 2023, 212,
         Variant(columns=UNSEEN_COLUMNS, inline="level2", grade=True, max_fmt="0.0"),
         [("年初预算数", "年初预算数"), ("全年预算数", "调整后预算数"), ("全年执行数", "全年执行数"),
          ("分值", "分值"), ("执行率", "执行率"), ("得分", "得分")], W, n_leaves=15,
         inject=("l2_weight",), pages=(2, 2), font="Noto Serif CJK SC", size=10.5, long_ok=0.6),
]
SCANS = [
    ms.ScanSpec("proj_mof_2023", 200, source_dir="project"),
    ms.ScanSpec("proj_local_2024", 150, stamp=True, source_dir="project"),
    ms.ScanSpec("proj_word_2022", 200, broken_lines=True, source_dir="project"),
]
ALL_NAMES = [s.name for s in SPECS] + ["proj_multi_2023", WORD.name, "notform_target_2023"]


# --------------------------------------------------------------------------- xlsx layout
def page_setup(ws: Any, last_row: int, ncols: int) -> None:
    ms.fit_to_width(ws, "portrait", side=0.55, top=0.6)
    ws.print_area = f"A1:{get_column_letter(ncols)}{last_row}"


def spans(widths: list[float], first: int, k: int) -> list[tuple[int, int]]:
    """Grid columns first..len(widths) (1-based) split into k consecutive spans of about
    the same width (each at least one column)."""
    last = len(widths)
    ws = widths[first - 1:]
    total = sum(ws)
    out, c = [], first
    for i in range(k):
        if i == k - 1:
            out.append((c, last))
            break
        goal = total * (i + 1) / k
        end = c
        # widen the span while that brings its right edge nearer the goal, leaving a
        # column for each span still to come
        while end < last - (k - 1 - i) and abs(sum(widths[first - 1:end + 1]) - goal) < abs(
                sum(widths[first - 1:end]) - goal):
            end += 1
        out.append((c, end))
        c = end + 1
    return out


def fit_fund_widths(form: PForm) -> None:
    for (c1, c2), (col, _) in zip(spans(form.widths, 3, len(form.funds.columns)), form.funds.columns):
        if col not in MONEY_COLS:
            continue
        for row in FUND_ROWS:
            v = form.funds.values[row][col]
            need = sum(ms.char_w(ch, form.size) for ch in f"{v:,.2f}") + 10
            have = sum(ms.col_pt(form.widths[i - 1]) for i in range(c1, c2 + 1))
            if have < need:
                form.widths[c2 - 1] = round(form.widths[c2 - 1] + (need - have) / 7.03 + 0.5, 1)


def write_form(ws: Any, form: PForm, pad: float) -> None:
    """One project form on one worksheet."""
    fit_fund_widths(form)
    v = form.variant
    n = len(v.columns)
    sh = ms.GridSheet(ws, form.widths, form.font, form.size)
    put = sh.put
    col = {role: i + 1 for i, role in enumerate(v.columns)}
    r = 1
    put(r, 1, TITLE, c2=n, bold=True, size=14, border=False)
    sh.min_h[r] = 28
    r += 1
    put(r, 1, f"（{form.year}年度）", c2=n, border=False, size=form.size + 1)
    sh.min_h[r] = 20
    r += 1
    put(r, 1, "项目名称")
    put(r, 2, form.project, c2=n)
    r += 1
    a = max(3, n // 2)
    put(r, 1, "主管部门")
    put(r, 2, form.department, c2=a)
    put(r, a + 1, "实施单位")
    put(r, a + 2, form.unit_name, c2=n)
    r += 1
    # funds block: header + 4 rows
    f = form.funds
    put(r, 1, f"项目资金（{f.unit}）", r2=r + 4)
    put(r, 2, "")
    sp = spans(form.widths, 3, len(f.columns))
    for (c1, c2), (_c, printed) in zip(sp, f.columns):
        put(r, c1, printed, c2=c2)
    for i, row in enumerate(FUND_ROWS):
        rr = r + 1 + i
        put(rr, 2, FUND_ROW_LABEL.get(row, row))
        for (c1, c2), (fund_col, _p) in zip(sp, f.columns):
            val = f.values[row][fund_col]
            if val is None:
                put(rr, c1, "—", c2=c2)
            elif fund_col in MONEY_COLS:
                put(rr, c1, val, c2=c2, fmt="#,##0.00", align="right")
            elif fund_col == "执行率":
                put(rr, c1, round(val / 100, 6), c2=c2, fmt="0.00%")
            elif fund_col == "分值":
                put(rr, c1, val, c2=c2, fmt="0")
            else:
                put(rr, c1, val, c2=c2, fmt="0.00")
    r += 5
    # 年度总体目标
    best = min(range(2, n), key=lambda m: abs(sh.width_pt(2, m) - sh.width_pt(m + 1, n)))
    put(r, 1, "年度总体目标", r2=r + 1)
    put(r, 2, "预期目标", c2=best)
    put(r, best + 1, "实际完成情况", c2=n)
    put(r + 1, 2, form.goal_expected, c2=best, align="left")
    put(r + 1, best + 1, form.goal_actual, c2=n, align="left")
    r += 2
    # indicator table
    for role in v.columns:
        put(r, col[role], v.weight_header if role == "max" else HEADERS[role], bold=True)
    ws.print_title_rows = f"{r}:{r}"
    r += 1

    def leaf_cells(rr: int, lf: Leaf, score_fmt: str, exec_row: bool = False) -> None:
        for role in v.columns:
            c = col[role]
            if role in ("l1", "l2") or (exec_row and role == "ind"):
                continue
            if role == "ind":
                put(rr, c, lf.name)
            elif role == "target":
                put(rr, c, lf.target, align="left" if len(lf.target) > 10 else "center")
            elif role == "actual":
                put(rr, c, lf.actual, align="left" if len(lf.actual) > 10 else "center")
            elif role == "max":
                put(rr, c, lf.max, fmt=v.max_fmt)
            elif role == "score":
                put(rr, c, lf.score, fmt=score_fmt)
            elif role == "reason":
                put(rr, c, lf.reason, align="left")
            elif role == "nature":
                put(rr, c, lf.extra.get("指标性质", ""))
            elif role == "unit":
                put(rr, c, lf.extra.get("度量单位", ""))

    def exec_row(rr: int) -> None:
        assert form.exec_leaf is not None
        put(rr, 1, EXEC_NAME, c2=col["ind"])  # one cell over 一级/二级/三级
        leaf_cells(rr, form.exec_leaf, "0.00", exec_row=True)

    if form.exec_leaf is not None and v.exec_row == "top":
        exec_row(r)
        r += 1
    for l1 in form.level1s:
        n1 = sum(len(g.leaves) for g in l1.groups)
        name1 = f"{l1.name}（{l1.max:g}分）" if v.inline == "both" else l1.name
        put(r, col["l1"], name1, r2=r + n1 - 1)
        for g in l1.groups:
            n2 = len(g.leaves)
            name2 = f"{g.name}（{g.max:g}分）" if v.inline in ("both", "level2") else g.name
            put(r, col["l2"], name2, r2=r + n2 - 1)
            for lf in g.leaves:
                leaf_cells(r, lf, v.score_fmt)
                r += 1
    if form.exec_leaf is not None and v.exec_row == "bottom":
        exec_row(r)
        r += 1
    # 总分 (and 自评等级)
    first_num = min(col["max"], col["score"])
    put(r, 1, "总分", c2=first_num - 1)
    c = first_num
    while c <= n:
        role = v.columns[c - 1]
        if role == "max":
            put(r, c, 100, fmt="0")
            c += 1
        elif role == "score":
            put(r, c, form.declared_total, fmt="0.00")
            c += 1
        else:
            c2 = c
            while c2 + 1 <= n and v.columns[c2] not in ("max", "score"):
                c2 += 1
            put(r, c, "", c2=c2)
            c = c2 + 1
    sh.min_h[r] = form.size * 2.6
    if form.grade:
        r += 1
        put(r, 1, "自评等级", c2=first_num - 1)
        put(r, first_num, form.grade, c2=n)
        sh.min_h[r] = form.size * 2.6
    sh.finish(r, pad)
    page_setup(ws, r, n)


def build_book(forms: list[PForm], path: Path, pads: list[float]) -> None:
    wb = Workbook()
    wb.properties.creator = "Administrator"
    for i, (form, pad) in enumerate(zip(forms, pads)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = f"项目{i + 1}" if len(forms) > 1 else "项目支出绩效自评表"
        write_form(ws, form, pad)
    wb.save(path)


# --------------------------------------------------------------------------- PDF analysis
def column_texts(pdf: Path, header: str = "三级指标") -> tuple[list[str], list[str]]:
    """(text of the column under ``header`` per page, below the header; whole text per page)."""
    import pdfplumber

    cols, texts = [], []
    with pdfplumber.open(str(pdf)) as doc:
        for page in doc.pages:
            visible = [ch for ch in page.chars if ch["top"] >= 0 and ch["bottom"] <= page.height
                       and ch["x0"] >= 0 and ch["x1"] <= page.width]
            texts.append("".join(ch["text"] for ch in visible).replace(" ", ""))
            hits = page.search(header)
            if not hits:
                cols.append("")
                continue
            h = hits[0]
            xs = [e["x0"] for e in page.edges if e["orientation"] == "v"
                  and e["top"] <= h["bottom"] and e["bottom"] >= h["top"]]
            left = max((x for x in xs if x <= h["x0"] + 0.5), default=h["x0"] - 4)
            right = min((x for x in xs if x >= h["x1"] - 0.5), default=h["x1"] + 4)
            chars = [ch for ch in visible if left <= (ch["x0"] + ch["x1"]) / 2 <= right
                     and ch["top"] > h["bottom"]]
            chars.sort(key=lambda ch: (round(ch["top"]), ch["x0"]))
            cols.append("".join(ch["text"] for ch in chars).replace(" ", ""))
    return cols, texts


def form_pages(texts: list[str], n_forms: int) -> list[list[int]]:
    """Pages (1-based) of each form of a PDF: a form starts on a page with the title."""
    starts = [i for i, t in enumerate(texts) if TITLE in t]
    if len(starts) != n_forms or starts[0] != 0:
        raise RuntimeError(f"forms start on pages {[s + 1 for s in starts]}, expected {n_forms} forms")
    ends = starts[1:] + [len(texts)]
    return [list(range(s + 1, e + 1)) for s, e in zip(starts, ends)]


def leaf_pages(cols: list[str], pages: list[int], names: list[str]) -> list[int]:
    out = []
    k, pos = 0, 0
    for nm in names:
        key = nm.replace(" ", "")
        while True:
            if k >= len(pages):
                raise RuntimeError(f"leaf {nm!r} not found in the 三级指标 column")
            i = cols[pages[k] - 1].find(key, pos)
            if i >= 0:
                out.append(pages[k])
                pos = i + len(key)
                break
            k, pos = k + 1, 0
    return out


def splits(form: PForm, lp: list[int]) -> list[str]:
    """二级 blocks whose leaves fall on more than one page (``一级/二级 pA/B``)."""
    res, i = [], 0
    for l1 in form.level1s:
        for g in l1.groups:
            ps = sorted(set(lp[i:i + len(g.leaves)]))
            if len(ps) > 1:
                res.append(f"{l1.name}/{g.name} p{'/'.join(map(str, ps))}")
            i += len(g.leaves)
    return res


# --------------------------------------------------------------------------- render
MAX_PAD = 0.5  # rows at most 1.5 times the height their text needs


def render_book(name: str, forms: list[PForm], work: Path, profile: Path) -> tuple[Path, list[dict[str, Any]]]:
    """Export ``forms`` (one worksheet each) to one PDF, adjusting each form's row padding
    until it has the wanted pages and, on a form of 2+ pages, a 二级 block split by a break."""
    pads = [f.pad0 for f in forms]
    last: list[dict[str, Any]] = []
    for _attempt in range(20):
        xlsx = work / f"{name}.xlsx"
        build_book(forms, xlsx, pads)
        pdf = ms.export_pdf(xlsx, work, profile)
        cols, texts = column_texts(pdf)
        per_form = form_pages(texts, len(forms))
        done = True
        last = []
        for i, (form, pages) in enumerate(zip(forms, per_form)):
            names = [lf.name for _a, _b, lf in form.leaves()]
            lp = leaf_pages(cols, pages, names)
            sp = splits(form, lp)
            last.append({"pages": len(pages), "first_page": pages[0], "splits": sp, "pad": round(pads[i], 2)})
            lo, hi = form.pages_wanted
            if len(pages) < lo:
                if pads[i] >= MAX_PAD:
                    raise RuntimeError(f"{form.name}: {len(pages)} pages at padding {pads[i]:.2f}, wanted {lo}")
                pads[i] += 0.12
                done = False
            elif len(pages) > hi:
                if pads[i] <= 0:
                    raise RuntimeError(f"{form.name}: {len(pages)} pages without padding, wanted {lo}..{hi}")
                pads[i] = max(0.0, pads[i] - 0.1)
                done = False
            elif len(pages) > 1 and (not sp or lp.count(pages[-1]) < 3):
                if pads[i] >= MAX_PAD:
                    raise RuntimeError(f"{form.name}: no split 二级 up to padding {pads[i]:.2f}")
                pads[i] += 0.03  # a 二级 block split by a break, and no near-empty last page
                done = False
        if done:
            return pdf, last
    raise RuntimeError(f"{name}: no layout with the wanted pages/splits: {last}")


def write_truth(out: Path, name: str, truth: dict[str, Any]) -> None:
    (out / f"{name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")


def publish(pdf: Path, out: Path, name: str, truth: dict[str, Any]) -> None:
    ms.normalize_pdf(pdf)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, out / f"{name}.pdf")
    write_truth(out, name, truth)


def make_single(spec: Spec, out: Path, work: Path, profile: Path) -> str:
    form = build_form(spec)
    pdf, (info,) = render_book(spec.name, [form], work, profile)
    truth = form_truth(form, info["pages"])
    publish(pdf, out, spec.name, truth)
    return line(spec.name, info["pages"], form.injected, info["splits"], extra=f" (pad {info['pad']})")


def make_multi(out: Path, work: Path, profile: Path) -> str:
    name = "proj_multi_2023"
    forms = [build_form(s) for s in MULTI]
    for f in forms:
        f.name = name
    pdf, infos = render_book(name, forms, work, profile)
    parts = []
    for form, info in zip(forms, infos):
        t = form_truth(form, info["pages"])
        del t["file"]
        t["first_page"] = info["first_page"]
        parts.append(t)
    truth = {"file": f"{name}.pdf", "form_type": "project", "forms": parts}
    publish(pdf, out, name, truth)
    pages = sum(i["pages"] for i in infos)
    sp = [s for i in infos for s in i["splits"]]
    return line(name, pages, [x for f in forms for x in f.injected], sp,
                extra=f" (forms: {'+'.join(str(i['pages']) for i in infos)} pages, "
                      f"pads {[i['pad'] for i in infos]})")


def line(name: str, pages: int, injected: list[tuple[str, str]], sp: list[str], extra: str = "") -> str:
    inj = ", ".join(f"{r}@{loc}" for r, loc in injected) or "-"
    return f"{name}: {pages} pages{extra}; findings {inj}; splits {'; '.join(sp) or '-'}"


# --------------------------------------------------------------------------- Word form
CJK_SERIF = "Noto Serif CJK SC"
LATIN_SERIF = "Times New Roman"  # LibreOffice prints it with its metric twin Liberation Serif


def build_docx(form: PForm, path: Path, row_h: float) -> None:
    """The form typed into two Word tables (header/funds/goals, indicators); rows not
    scaled, each leaf row at least ``row_h`` points high and never split over pages."""
    from docx import Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    doc.core_properties.author = "Administrator"
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin = sec.bottom_margin = Mm(22)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_SERIF
    normal.font.size = Pt(form.size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_SERIF)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)

    def run(p: Any, text: str, size: float | None = None, bold: bool = False) -> None:
        r = p.add_run(text)
        r.font.name = LATIN_SERIF
        r.font.bold = bold
        r.font.size = Pt(size or form.size)
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_SERIF)

    def para(text: str, size: float, bold: bool = False) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run(p, text, size, bold)

    para(TITLE, 16, bold=True)
    para(f"（{form.year} 年度）", 12)
    def table(rows: int, widths_mm: list[float]) -> Any:  # 170 mm wide
        t = doc.add_table(rows=rows, cols=8)
        t.style = "Table Grid"
        t.autofit = False
        for i, w in enumerate(widths_mm):
            t.columns[i].width = Mm(w)
            for c in t.columns[i].cells:
                c.width = Mm(w)
        return t

    def put(t: Any, r1: int, c1: int, text: str, r2: int | None = None, c2: int | None = None,
            align: str = "center", bold: bool = False) -> None:
        cell = t.cell(r1, c1)
        if (r2 or r1, c2 or c1) != (r1, c1):
            cell = cell.merge(t.cell(r2 or r1, c2 or c1))
        for extra in cell.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
        p = cell.paragraphs[0]
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        if text:
            run(p, text, bold=bold)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def tr_flag(row: Any, tag: str) -> None:
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(el)

    # table 1: header, funds, goals
    f = form.funds
    t1 = table(2 + 5 + 2, [19, 22, 23, 23, 23, 13, 22, 25])
    put(t1, 0, 0, "项目名称")
    put(t1, 0, 1, form.project, c2=7, align="left")
    put(t1, 1, 0, "主管部门")
    put(t1, 1, 1, form.department, c2=3, align="left")
    put(t1, 1, 4, "实施单位")
    put(t1, 1, 5, form.unit_name, c2=7, align="left")
    put(t1, 2, 0, f"项目资金（{f.unit}）", r2=6)
    put(t1, 2, 1, "")
    for j, (_c, printed) in enumerate(f.columns):
        put(t1, 2, 2 + j, printed)
    for i, row in enumerate(FUND_ROWS):
        put(t1, 3 + i, 1, FUND_ROW_LABEL.get(row, row))
        for j, (c, _p) in enumerate(f.columns):
            val = f.values[row][c]
            txt = ("—" if val is None else f"{val:,.2f}" if c in MONEY_COLS else f"{val:.2f}%"
                   if c == "执行率" else f"{val:g}" if c == "分值" else f"{val:.2f}")
            put(t1, 3 + i, 2 + j, txt, align="right" if c in MONEY_COLS else "center")
    put(t1, 7, 0, "年度总体目标", r2=8)
    put(t1, 7, 1, "预期目标", c2=4)
    put(t1, 7, 5, "实际完成情况", c2=7)
    put(t1, 8, 1, form.goal_expected, c2=4, align="left")
    put(t1, 8, 5, form.goal_actual, c2=7, align="left")
    for row in t1.rows:
        row.height = Pt(22)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    doc.add_paragraph()
    # table 2: indicators
    leaves = form.leaves()
    t2 = table(1 + len(leaves) + 2, [16, 19, 30, 21, 20, 13, 13, 38])
    for j, role in enumerate(STANDARD_COLUMNS):
        put(t2, 0, j, HEADERS[role], bold=True)
    tr_flag(t2.rows[0], "w:tblHeader")
    r = 1
    for l1 in form.level1s:
        n1 = sum(len(g.leaves) for g in l1.groups)
        put(t2, r, 0, l1.name, r2=r + n1 - 1)
        for g in l1.groups:
            put(t2, r, 1, g.name, r2=r + len(g.leaves) - 1)
            for lf in g.leaves:
                put(t2, r, 2, lf.name)
                put(t2, r, 3, lf.target)
                put(t2, r, 4, lf.actual)
                put(t2, r, 5, f"{lf.max:g}")
                put(t2, r, 6, f"{lf.score:.1f}")
                put(t2, r, 7, lf.reason, align="left")
                r += 1
    put(t2, r, 0, "总分", c2=4)
    put(t2, r, 5, "100")
    put(t2, r, 6, f"{form.declared_total:.2f}")
    put(t2, r, 7, "")
    put(t2, r + 1, 0, "自评等级", c2=4)
    put(t2, r + 1, 5, form.grade, c2=7)
    for i, row in enumerate(t2.rows):
        tr_flag(row, "w:cantSplit")
        row.height = Pt(row_h if 0 < i <= len(leaves) else 24)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    doc.save(str(path))


def label_prints(pdf: Path, label: str) -> int:
    """How often ``label`` is printed (visible characters, all pages)."""
    _cols, texts = column_texts(pdf)
    return sum(t.count(label) for t in texts)


def make_word(out: Path, work: Path, profile: Path) -> str:
    spec = WORD
    form = build_form(spec)
    row_h = 26.0
    info: dict[str, Any] = {}
    for _attempt in range(30):
        docx = work / f"{spec.name}.docx"
        build_docx(form, docx, row_h)
        pdf = ms.export_pdf(docx, work, profile)
        cols, texts = column_texts(pdf)
        pages = list(range(1, len(texts) + 1))
        lp = leaf_pages(cols, pages, [lf.name for _a, _b, lf in form.leaves()])
        sp = splits(form, lp)
        info = {"pages": len(pages), "splits": sp, "row_h": row_h}
        if len(pages) < 3:
            row_h += 3
        elif len(pages) > 3:
            row_h -= 2
        elif not sp or lp.count(3) < 3:  # a split 二级, and leaves on the last page
            row_h += 0.7
        else:
            break
    else:
        raise RuntimeError(f"{spec.name}: no layout with 3 pages and a split 二级: {info}")
    for s in sp:  # the split label is printed once (Writer), not once per page
        label = s.split("/")[1].split(" ")[0]
        count = label_prints(pdf, label)
        if count != 1:
            raise RuntimeError(f"{spec.name}: split label {label} printed {count} times")
    truth = form_truth(form, info["pages"])
    publish(pdf, out, spec.name, truth)
    return line(spec.name, info["pages"], form.injected, sp, extra=f" (leaf rows ≥ {row_h:.1f} pt)")


# --------------------------------------------------------------------------- not a form
def make_notform(out: Path, work: Path, profile: Path) -> str:
    """A 项目支出绩效目标申报表 (a target declaration: no scores, no 总分)."""
    name = "notform_target_2023"
    rng = random.Random(210)
    proj = PROJECTS["sport"]
    widths: list[float] = [9, 10, 9, 9, 8, 9, 10, 14]
    wb = Workbook()
    wb.properties.creator = "Administrator"
    ws = wb.active
    ws.title = "绩效目标申报表"
    sh = ms.GridSheet(ws, widths, "Noto Sans CJK SC", 10)
    put = sh.put
    r = 1
    put(r, 1, "项目支出绩效目标申报表", c2=8, bold=True, size=14, border=False)
    sh.min_h[r] = 28
    put(2, 1, "（2023年度）", c2=8, border=False, size=11)
    r = 3
    put(r, 1, "项目名称", c2=2)
    put(r, 3, proj.name, c2=8)
    put(r + 1, 1, "主管部门", c2=2)
    put(r + 1, 3, proj.department, c2=5)
    put(r + 1, 6, "实施单位")
    put(r + 1, 7, proj.unit, c2=8)
    put(r + 2, 1, "项目属性", c2=2)
    put(r + 2, 3, "延续项目", c2=5)
    put(r + 2, 6, "项目期")
    put(r + 2, 7, "1年", c2=8)
    r += 3
    total = rng.randint(200, 600) * 100
    fiscal = total - rng.randint(0, 30) * 100
    put(r, 1, "项目资金（万元）", c2=2, r2=r + 2)
    for i, (lbl, amount) in enumerate([("年度资金总额", total), ("其中：财政拨款", fiscal),
                                       ("其他资金", total - fiscal)]):
        put(r + i, 3, lbl, c2=5)
        put(r + i, 6, amount / 100, c2=8, fmt="#,##0.00")
    r += 3
    put(r, 1, "年度绩效目标", c2=2)
    put(r, 3, f"{proj.purpose}。全年举办群众性体育赛事不少于25项，参赛群众2万人次以上，"
              "培训社会体育指导员150人以上，参赛群众满意度达到90%以上。", c2=8, align="left")
    r += 1
    put(r, 1, "绩效指标", c2=8, bold=True)
    r += 1
    put(r, 1, "一级指标")
    put(r, 2, "二级指标")
    put(r, 3, "三级指标", c2=5)
    put(r, 6, "指标值", c2=8)
    ws.print_title_rows = f"{r}:{r}"
    r += 1
    rows: dict[str, list[tuple[str, str]]] = {}
    for k, its in proj.leaves.items():
        for nm, op, val, u, _ok, _m in its:
            rows.setdefault(k, []).append((nm, target_text(rng, op, val, u, 2023)))
    by_l1: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}
    for k, targets in rows.items():
        by_l1.setdefault(G2[k][0], []).append((G2[k][1], targets))
    for l1 in LEVEL1_ORDER:
        groups = by_l1.get(l1, [])
        n1 = sum(len(targets) for _g, targets in groups)
        if not n1:
            continue
        put(r, 1, l1, r2=r + n1 - 1)
        for g, targets in groups:
            put(r, 2, g, r2=r + len(targets) - 1)
            for nm, t in targets:
                put(r, 3, nm, c2=5)
                put(r, 6, t, c2=8)
                r += 1
    sh.finish(r - 1, 0.3)
    page_setup(ws, r - 1, 8)
    xlsx = work / f"{name}.xlsx"
    wb.save(xlsx)
    pdf = ms.export_pdf(xlsx, work, profile)
    pages = ms.page_count(pdf)
    publish(pdf, out, name, {"file": f"{name}.pdf", "refused": REFUSED})
    return f"{name}: {pages} pages; refused ({REFUSED})"


# --------------------------------------------------------------------------- unseen
def make_unseen(folder: Path) -> None:
    """Held-out project forms of a template no sample has (一级/二级/三级/度量单位/分值/得分/
    年度指标值/实际完成值/偏差原因, weights inside the 二级 names only, 调整后预算数): exported into
    ``folder/exported`` and scanned at 200 and 300 dpi into ``folder``; and the sample
    file of three forms scanned at 200 dpi."""
    exported = folder / "exported"
    with tempfile.TemporaryDirectory(prefix="make_project_samples_") as tmp:
        work = Path(tmp)
        for spec in UNSEEN:
            print(make_single(spec, exported, work, work / "lo_profile"))
    for spec in UNSEEN:
        for dpi, broken in ((200, False), (300, True)):
            s = ms.ScanSpec(spec.name, dpi, broken_lines=broken, source_dir="exported")
            info = ms.make_scan(s, folder / "_", folder)  # source: folder/exported
            print(f"{info['file']}: {info['pages']} pages, {info['bytes'] / 1024:.0f} KiB")
    # one file holding three forms, scanned (samples/ has no room for it)
    info = ms.make_scan(ms.ScanSpec("proj_multi_2023", 200, source_dir="project"),
                        ms.ROOT / "samples" / "exported", folder)
    print(f"{info['file']}: {info['pages']} pages, {info['bytes'] / 1024:.0f} KiB")


# --------------------------------------------------------------------------- scans
def make_scans(out: Path, scan_out: Path, only: list[str] | None = None) -> None:
    for spec in SCANS:
        if only and spec.form not in only:
            continue
        s = ms.ScanSpec(spec.form, spec.dpi, spec.rotation, spec.fmt, spec.broken_lines, spec.stamp,
                        spec.colour, source_dir=out.name)
        t0 = time.time()
        info = ms.make_scan(s, out.parent / "exported", scan_out)
        print(f"{info['file']}: {info['pages']} pages, {info['bytes'] / 1024:.0f} KiB, q{info['jpeg_quality']}, "
              f"broken p{info['broken_line_pages'] or '-'}, stamp p{info['stamp_page'] or '-'} "
              f"({time.time() - t0:.1f}s)")


# --------------------------------------------------------------------------- driver
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", help=f"only this sample (repeatable): {', '.join(ALL_NAMES)}")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder of the PDFs and truths")
    ap.add_argument("--no-scans", action="store_true", help="skip the scanned versions")
    ap.add_argument("--scans-only", action="store_true", help="only the scanned versions (from --out)")
    ap.add_argument("--unseen", type=Path, metavar="DIR", help="only the held-out forms and their scans, into DIR")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    scan_out = DEFAULT_SCAN_OUT if out == DEFAULT_OUT else out / "scanned"
    if args.only and set(args.only) - set(ALL_NAMES):
        print(f"unknown sample(s): {sorted(set(args.only) - set(ALL_NAMES))}; known: {ALL_NAMES}", file=sys.stderr)
        return 2
    if not args.scans_only and not shutil.which("soffice"):
        print("soffice (LibreOffice) is required", file=sys.stderr)
        return 2
    t0 = time.time()
    if args.unseen:
        make_unseen(args.unseen.resolve())
        print(f"unseen forms and scans in {time.time() - t0:.1f}s -> {args.unseen}")
        return 0
    if not args.scans_only:
        with tempfile.TemporaryDirectory(prefix="make_project_samples_") as tmp:
            work = Path(tmp)
            profile = work / "lo_profile"
            for name in ALL_NAMES:
                if args.only and name not in args.only:
                    continue
                spec = next((s for s in SPECS if s.name == name), None)
                if spec is not None:
                    msg = make_single(spec, out, work, profile)
                elif name == "proj_multi_2023":
                    msg = make_multi(out, work, profile)
                elif name == WORD.name:
                    msg = make_word(out, work, profile)
                else:
                    msg = make_notform(out, work, profile)
                print(msg, flush=True)
        print(f"done in {time.time() - t0:.1f}s -> {out}")
    if not args.no_scans:
        t1 = time.time()
        make_scans(out, scan_out, args.only)
        print(f"scans done in {time.time() - t1:.1f}s -> {scan_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
