import pytest

from normalizers.aliases import find_aliases
from normalizers.citations import ArticleRef, find_citations, parse_articles, resolve_law_name
from normalizers.law_numbers import parse_law_number

BANGO = "行政手続における特定の個人を識別するための番号の利用等に関する法律"
PREAMBLE = ("地方公務員等共済組合法（昭和37年9月8日法律第152号。以下「地共済法」という。）、"
            "行政手続における特定の個人を識別するための番号の利用等に関する法律（平成25年法律第27号。"
            "以下「番号利用法」という。）等に基づき")


def cite(text, aliases=None):
    return find_citations(text, aliases or {})


def test_aliases_from_definitions():
    defs = find_aliases(PREAMBLE)
    assert [(a.alias, a.full, a.law_number) for a in defs] == [
        ("地共済法", "地方公務員等共済組合法", "昭和37年法律第152号"),
        ("番号利用法", BANGO, "平成25年法律第27号"),
    ]
    assert PREAMBLE[defs[0].start:defs[0].end].startswith("（昭和37年")


@pytest.mark.parametrize("text, alias, full", [
    ("社会保険診療報酬支払基金（以下、「支払基金」という。）の医療保険", "支払基金", "社会保険診療報酬支払基金"),
    ("当組合は健康保険組合事務基幹システム(以下「基幹システム」という。)", "基幹システム", "健康保険組合事務基幹システム"),
    ("医療機関より東京都国民健康保険団体連合会（以下この評価書において「国保連合会」とい\nう。）", "国保連合会",
     "東京都国民健康保険団体連合会"),
    ("する組合（指定都市職員共済組合、市町村職員共済組合及び都市職員共済組合。以下「構成組合」という。）",
     "構成組合", "指定都市職員共済組合、市町村職員共済組合及び都市職員共済組合"),
])
def test_alias_full_names(text, alias, full):
    [a] = find_aliases(text)
    assert (a.alias, a.full) == (alias, full)


def test_alias_after_a_verb_keeps_the_clause():
    [a] = find_aliases("中間サーバー等は、支払基金及び国民健康保険中央会が取りまとめて運営する(以下「取りまとめ機関」という。)")
    assert a.full == "支払基金及び国民健康保険中央会が取りまとめて運営する"


def test_alias_full_name_keeps_connectives():
    [a] = find_aliases("市町村連合会は、公的年金に係る業務システム（以下「年金給付システム」という。）")
    assert a.full == "公的年金に係る業務システム"


def test_not_alias_definitions():
    assert find_aliases("番号系端末（以下、8か所）") == []
    assert find_aliases("所属長が任ずる者に限定される。以下、これらの") == []


def test_law_number_with_promulgation_day():
    n = parse_law_number("昭和37年9月8日法律第152号")
    assert (n.text, n.era, n.era_year, n.year, n.kind, n.number) == ("昭和37年法律第152号", "昭和", 37, 1962, "法律", 152)
    assert n.promulgated.iso == "1962-09-08"


@pytest.mark.parametrize("s, text, issuer, kind, number", [
    ("平成25年法律第27号", "平成25年法律第27号", "", "法律", 27),
    ("平成27年特定個人情報保護委員会規則第５号", "平成27年特定個人情報保護委員会規則第5号", "特定個人情報保護委員会", "規則", 5),
    ("平成27年\n　政令第427号", "平成27年政令第427号", "", "政令", 427),
    ("平成26年内閣府・総務省令第3号", "平成26年内閣府・総務省令第3号", "内閣府・総務", "省令", 3),
    ("令和元年法律第16号", "令和元年法律第16号", "", "法律", 16),
])
def test_law_numbers(s, text, issuer, kind, number):
    n = parse_law_number(s)
    assert (n.text, n.issuer, n.kind, n.number, n.promulgated) == (text, issuer, kind, number, None)


def test_citation_through_document_alias():
    aliases = {a.alias: a.full for a in find_aliases(PREAMBLE)}
    [c] = cite("関係先から入手する情報については、地共済法第3条の区分に従い", aliases)
    assert (c.law_name, c.law_number, c.article, c.printed_name) == (
        "地方公務員等共済組合法", "昭和37年法律第152号", "第3条", "地共済法")


def test_well_known_short_name_without_definition():
    [c] = cite("番号法第19条第8号")
    assert (c.law_name, c.law_number, c.article, c.articles) == (
        BANGO, "平成25年法律第27号", "第19条第8号", [ArticleRef("19", None, 8)])
    assert resolve_law_name("住基法", {}) == "住民基本台帳法"


def test_document_alias_wins_over_general_table():
    assert resolve_law_name("番号法", {"番号法": "某法"}) == "某法"


def test_alias_prefix_of_a_longer_name_resolves():
    [c] = cite("番号利用法　別表第一の主務省令で定める事務を定める命令　第30条の2", {"番号利用法": BANGO})
    assert c.law_name == BANGO + "別表第一の主務省令で定める事務を定める命令"
    assert c.articles == [ArticleRef("30-2", None, None)]


def test_article_item_and_appendix_item_list_on_following_line():
    text = "・番号利用法　第19条第8号（特定個人情報の提供の制限）　（照会）別表第二　項番58"
    first, second = cite(text, {"番号利用法": BANGO})
    assert (first.article, first.articles) == ("第19条第8号", [ArticleRef("19", None, 8)])
    # the appendix has no law before it: it takes the law named last
    assert (second.law_name, second.appendix, second.items, second.item_numbers) == (BANGO, "別表第二", "項番58", [58])


def test_item_list_with_branch_numbers():
    [c, d] = cite("・住民基本台帳法　第30条の9（国の機関等への本人確認情報の提供）　別表第一　項番19、73の2")
    assert c.articles == [ArticleRef("30-9", None, None)]
    assert (d.appendix, d.item_numbers, d.law_name) == ("別表第一", [19, "73-2"], "住民基本台帳法")


def test_long_item_list_across_a_line_break():
    text = "（提供）別表第二　項番1、2、3、4、5、9、12、15、17、22、26、27、33、39、42、43、58、62、78、80、\n87、93、97、106、109、119"
    [c] = cite(text)
    assert c.item_numbers == [1, 2, 3, 4, 5, 9, 12, 15, 17, 22, 26, 27, 33, 39, 42, 43, 58, 62, 78, 80,
                              87, 93, 97, 106, 109, 119]


def test_article_with_paragraph_list():
    [c] = cite("・地方公務員等共済組合法　第144条の33　第1項及び第2項")
    assert c.article == "第144条の33第1項及び第2項"
    assert c.articles == [ArticleRef("144-33", 1, None), ArticleRef("144-33", 2, None)]
    assert c.law_number == "昭和37年法律第152号"  # from law_aliases.json


@pytest.mark.parametrize("s, refs", [
    ("第19条第8号", [ArticleRef("19", None, 8)]),
    ("第30条の9", [ArticleRef("30-9", None, None)]),
    ("第236条1項", [ArticleRef("236", 1, None)]),
    ("第１９条第７号", [ArticleRef("19", None, 7)]),
    ("第六条", [ArticleRef("6", None, None)]),
    ("第1条、第2条、第10条の2", [ArticleRef("1", None, None), ArticleRef("2", None, None), ArticleRef("10-2", None, None)]),
    ("第29条の3第2項", [ArticleRef("29-3", 2, None)]),
    ("附則第35条の5", [ArticleRef("附則35-5", None, None)]),
])
def test_parse_articles(s, refs):
    assert parse_articles(s) == refs


@pytest.mark.parametrize("text, appendix, items, numbers", [
    ("番号法第9条第1項別表第一の30の項", "別表第一", "30の項", [30]),
    ("番号法第9条第1項　別表　第117の項", "別表", "第117の項", [117]),
    ("番号法第9条第1項　別表　第一の84の項", "別表第一", "84の項", [84]),
    ("番号法第１９条第７号別表第二第２６項", "別表第二", "第26項", [26]),
    ("番号法第19条第7号　別表　第二の26、56の2、", "別表第二", "26、56の2", [26, "56-2"]),
    ("番号法 第9条第1項(利用範囲) 別表第1 項番2", "別表第一", "項番2", [2]),
    ("当組合が行う事務のうち、番号法別表第1の項番2「健康保険法による", "別表第一", "項番2", [2]),
])
def test_appendix_forms(text, appendix, items, numbers):
    c = [c for c in cite(text) if c.appendix][-1]  # 「(利用範囲)」 between article and appendix splits it in two
    assert (c.law_name, c.appendix, c.items, c.item_numbers) == (BANGO, appendix, items, numbers)


def test_law_number_in_parentheses_and_quotes():
    [c] = cite("「行政手続における特定の個人を識別するための番号の利用等に関する法律（平成25年\n　法律第27号）」第29条の3第2項のよる")
    assert (c.law_name, c.law_number, c.articles) == (BANGO, "平成25年法律第27号", [ArticleRef("29-3", 2, None)])


def test_subject_and_conjunction_are_not_part_of_the_name():
    first, second = cite("当組合は健康保険法(大正11年法律第70号)並びに行政手続における特定の個人を識別するための"
                         "番号の利用等に関する法律(平成25年法律第27号。以下「番号法」という。)等に基づき")
    assert (first.law_name, first.law_number) == ("健康保険法", "大正11年法律第70号")
    assert (second.law_name, second.law_number) == (BANGO, "平成25年法律第27号")


def test_same_law_and_same_article():
    text = ("番号利用法第28条第1項において、その他（「特定個人情報保護評価に関する規則」第4条第5号）に該当する"
            "ものとして、同法第28条に基づく")
    a, b, c = cite(text, {"番号利用法": BANGO})
    assert b.law_name == "特定個人情報保護評価に関する規則"
    assert (c.law_name, c.articles) == (BANGO, [ArticleRef("28", None, None)])  # 同法: the last 法, not the 規則
    x, y, _ = cite("番号法第19条第1５号に基づき同条第7号に準ずるものとして定める特定個人情報の提供に関する規則第3条")
    assert (y.law_name, y.articles) == (BANGO, [ArticleRef("19", None, 7)])


def test_bare_references_take_the_law_named_last():
    text = ("1．番号法・第9条第1項及び第3項（利用範囲）・別表第一　項番24,39,86"
            "2．住民基本台帳法（平成27年6月3日法律第32号時点）・第30条の9")
    refs = cite(text)
    assert [(c.law_name, c.article or c.appendix) for c in refs] == [
        (BANGO, None), (BANGO, "第9条第1項及び第3項"), (BANGO, "別表第一"), ("住民基本台帳法", None),
        ("住民基本台帳法", "第30条の9")]
    # 「…第32号時点」 dates the text cited; it is not 住民基本台帳法's own number
    assert refs[3].law_number == "昭和42年法律第81号"


def test_a_title_without_number_or_article_is_a_citation_a_word_that_ends_like_one_is_not():
    [c] = cite("規定が地共済法に盛り込まれ、番号法上認められた情報連携")  # 番号法上: one word
    assert (c.raw, c.law_name, c.article, c.name_source) == ("地共済法", "地方公務員等共済組合法", None, "law_aliases.json")
    assert cite("入手方法の確認、関係法令の遵守、主務省令で定める事務、この法律の規定") == []
    # 001:L970-L973, one line per instrument type
    text = ("入手については、国民健康保険法施行規則・新宿区国民健康保険条例・新宿区国民健康保険条例施行規則に"
            "届出・申請事項として明示されているほか、番号法・住民基本台帳法及び番号法に基づく個人番号の利用及び"
            "特定個人情報の提供に関する条例に明示されている。")
    assert [(c.raw, c.instrument) for c in cite(text)] == [
        ("国民健康保険法施行規則", "施行規則"), ("新宿区国民健康保険条例", "条例"), ("新宿区国民健康保険条例施行規則", "施行規則"),
        ("番号法", "法律"), ("住民基本台帳法", "法律"), ("番号法に基づく個人番号の利用及び特定個人情報の提供に関する条例", "条例")]


def test_guideline_and_notice_with_promulgation_date():
    # 000:L1344-L1346 and 001:L4802-L4804
    text = ("「特定個人情報の漏えいその他の特定個人情報の安全の確保に係る重大な事態の報告に関する規則（平成27年特定個人情報保護"
            "委員会規則第５号）」及び「事業者における特定個人情報の漏えい事案等が発生した場合の対応について（平成27年特定個人情報"
            "保護委員会告示第２号）」に基づき")
    rule, notice = cite(text)
    assert (rule.instrument, rule.law_number) == ("規則", "平成27年特定個人情報保護委員会規則第5号")
    assert (notice.law_name, notice.law_number, notice.instrument) == (
        "事業者における特定個人情報の漏えい事案等が発生した場合の対応について", "平成27年特定個人情報保護委員会告示第2号", "告示")
    rule, same, guideline = cite("特定個人情報保護評価に関する規則（平成26年4月18日特定個人情報保護委員会規則第1号）第14条（評価書の修正）"
                                 "に基づき、また、同規則第15条及び特定個人情報保護評価指針に基づき")
    assert (rule.promulgated.iso, rule.instrument) == ("2014-04-18", "規則")
    assert (same.law_name, same.article, same.name_source) == ("特定個人情報保護評価に関する規則", "第15条", "document")
    assert (guideline.raw, guideline.instrument, guideline.article) == ("特定個人情報保護評価指針", "指針", None)
    assert cite("事前通知を行い、各種通知により説明している") == []


def test_offsets_and_raw():
    text = "・番号利用法第16条（本人確認の措置）に則り"
    [c] = cite(text)
    assert text[c.start:c.end] == "番号利用法第16条" == c.raw


def test_issue_example_without_space_before_the_appendix():
    [c] = cite("番号利用法別表第一の主務省令で定める事務を定める命令 第30条の2", {"番号利用法": BANGO})
    assert (c.law_name, c.article, c.printed_name) == (
        BANGO + "別表第一の主務省令で定める事務を定める命令", "第30条の2", "番号利用法別表第一の主務省令で定める事務を定める命令")


def test_one_character_alias_only_when_defined():
    text = "この法律（以下「法」という。）に基づき、法第9条第1項の"
    [a] = find_aliases("行政手続における特定の個人を識別するための番号の利用等に関する法律（以下「法」という。）")
    assert (a.alias, a.full) == ("法", BANGO)
    [c] = cite(text, {"法": BANGO})
    assert (c.law_name, c.article) == (BANGO, "第9条第1項")
    # undefined, 「法」 is no law name: the article is read as a bare reference
    assert [(c.printed_name, c.article) for c in cite(text)] == [(None, "第9条第1項")]


def test_law_name_forms_are_unified():
    assert resolve_law_name("番号法別表第2の主務省令で定める事務及び情報を定める命令", {}) == \
        BANGO + "別表第二の主務省令で定める事務及び情報を定める命令"
    # 002:L1306 「要保護者等に係る障害者の日常生活及び社会生活を総合的に支援するための法律第六条」
    [c] = cite("要保護者等に係る障害者の日常生活及び社会生活を総合的に支援するための法律第六条の自立支援給付")
    assert (c.law_name, c.law_number) == ("障害者の日常生活及び社会生活を総合的に支援するための法律", "平成17年法律第123号")
    assert resolve_law_name("東京都個人情報の保護に関する条例", {}) == "東京都個人情報の保護に関する条例"


@pytest.mark.parametrize("text, full", [
    # 004:L55-L56, L200-L201 (wrapped lines joined), L222; 003:L37; 002:L4112-L4113 (before/after cells joined)
    ("市町村連合会は、年金裁定・支給事務に係るシステム（以下「年金給付システム」という。）", "年金裁定・支給事務に係るシステム"),
    ("紐付け管理を行う。業務で組合員及び被扶養者を特定する番号(以下「利用番号等」という。）", "業務で組合員及び被扶養者を特定する番号"),
    ("個人番号をＤＶＤ又は外付ＨＤＤ（以下「電子媒体等」という。）に書込む", "DVD又は外付HDD"),
    ("従来から支払基金に接続して使用していたオンライン請求ネットワーク(以下「オンライン請求NW」という。)", "オンライン請求ネットワーク"),
    ("団体内統合利用番号連携サーバ団体内統合利用番号連携サーバー（以下「連携サーバ」という。）", "団体内統合利用番号連携サーバー"),
    ("3東京都立中部総合精神保健福祉センター（以下、「センター」という。）", "東京都立中部総合精神保健福祉センター"),
])
def test_alias_full_name_is_the_defined_noun_phrase(text, full):
    [a] = find_aliases(text)
    assert a.full == full


def test_title_starts_by_words_not_characters():
    # 001:L3417: the object of 定め is no part of the title
    [c] = cite("◆必要な情報のみ記載する届出書等の様式を新宿区国民健康保険条例施行規則で定め、被保険者等")
    assert c.raw == "新宿区国民健康保険条例施行規則"
    # 004:L2673-L2675: the number printed before the quoted title, with its day
    [c] = cite("平成27年9月28日特定個人情報保護委員会告示第２号の「特定個人情報の漏えい事案等が発生した場合の対応について」に基づき")
    assert (c.law_number, c.promulgated.iso, c.instrument) == ("平成27年特定個人情報保護委員会告示第2号", "2015-09-28", "告示")
    # 002:L270: a class of orders is no title; its article is not given to the law named before
    first, second = cite("番号法第19条８号に基づく主務省令第２条の表144の項")
    assert (second.law_name, second.printed_name, second.article) == (None, "主務省令", "第2条")
    assert cite("番号利用法違反の事案又は番号利用法違反のおそれ、地方独立行政法人等") == []
