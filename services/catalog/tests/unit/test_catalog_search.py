from ktxh_catalog.domain.search import matches, normalize, search, search_text


def test_normalize_removes_diacritics_case_and_d_bar():
    assert normalize("Tỷ lệ hộ nghèo theo chuẩn đa chiều") == "ty le ho ngheo theo chuan da chieu"
    assert normalize("ĐẶC KHU Bạch Long Vĩ") == "dac khu bach long vi"
    assert normalize("Phòng Văn hoá - Xã hội") == normalize("phong van hoa xa hoi")
    assert normalize("Ủy ban MTTQ; Ưu tiên, Ơn") == "uy ban mttq uu tien on"
    assert normalize(None) == ""


def test_composed_and_decomposed_input_match():
    import unicodedata

    s = "Thủy sản"
    assert normalize(unicodedata.normalize("NFD", s)) == normalize(s) == "thuy san"


def test_ho_ngheo_finds_the_poverty_rate():
    name = "Tỷ lệ hộ nghèo theo chuẩn đa chiều"
    assert matches("ho ngheo", name)
    assert matches("HỘ NGHÈO", name)
    assert matches("ngheo ho", name)
    assert matches("ngh", name)
    assert not matches("ho giau", name)


def test_search_ranks_phrase_matches_first():
    items = ["Số hộ thực hiện phân loại rác, nghèo", "Tỷ lệ hộ nghèo theo chuẩn đa chiều",
             "Thu ngân sách"]
    assert search(items, "ho ngheo", key=lambda s: [s]) == items[1::-1]
    assert search_text("HP2081.XIII.11", "Tỷ lệ hộ nghèo") == "hp2081 xiii 11 ty le ho ngheo"
