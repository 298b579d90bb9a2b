import pytest

from normalizers.names import normalize_org_name


@pytest.mark.parametrize("s, expected", [
    ("㈱日立製作所", "株式会社日立製作所"),
    ("（株）日立製作所", "株式会社日立製作所"),
    ("(株)日立製作所", "株式会社日立製作所"),
    ("日立製作所㈱", "日立製作所株式会社"),
    ("㈲ 山田商店", "有限会社山田商店"),
    ("（一社）日本情報経済社会推進協会", "一般社団法人日本情報経済社会推進協会"),
    ("（公財）日本財団", "公益財団法人日本財団"),
    ("株式会社　ＮＴＴデータ", "株式会社NTTデータ"),
    ("株式会社 富士通 Japan", "株式会社富士通Japan"),
    ("NTT DATA Japan (株)", "NTT DATA Japan株式会社"),
])
def test_normalize_org_name(s, expected):
    assert normalize_org_name(s) == expected


def test_document_alias_resolves():
    aliases = {"支払基金": "社会保険診療報酬支払基金"}
    assert normalize_org_name("支払基金", aliases) == "社会保険診療報酬支払基金"
    assert normalize_org_name("国民健康保険中央会", aliases) == "国民健康保険中央会"


def test_alias_cycle_terminates():
    assert normalize_org_name("A", {"A": "B", "B": "A"}) in {"A", "B"}
