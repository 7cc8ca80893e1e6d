"""The scan the browser tests run on the Chinese UI's text (no browser needed): it finds English
identifiers and UI words, and lets file names, paths, units and the user's own names pass."""

from __future__ import annotations

from browser_support import english_leaks, identifier_leaks


def test_scan_finds_identifiers_and_english_words():
    text = "总览\n阶段 deposit_payment\n员工类型 part_time\nOverview\n峰值 Peak\n3 Days\n¥1 wages"
    assert english_leaks(text) == sorted(
        {"deposit_payment", "part_time", "Overview", "Peak", "Days", "wages"}
    )
    assert english_leaks("服务水平 96.2% · temporary 临时工") == ["temporary"]
    assert english_leaks("图 lower_80 区间") == ["lower_80"]


def test_scan_allows_files_paths_units_and_user_names():
    text = (
        "下载 roster.csv（UTF-8 带 BOM，可直接用 Excel 打开）\n当前显示 /tmp/a_b/run_dir\n"
        "场景文件（.toml）及其数据（.csv）\n"
        "peakplan · ¥12,345 CNY · 35 s · WAPE 9.8% · 11月11日 00:00\nDouble 11 2026 · 衣尚旗舰店"
    )
    assert english_leaks(text, ("Double 11 2026 · 衣尚旗舰店",)) == []
    assert english_leaks("peakplan_v2") == ["peakplan_v2"]  # an identifier, not the product
    assert english_leaks("Drag and drop file here") == ["Drag", "and", "drop", "file", "here"]


def test_english_ui_scan_finds_raw_identifiers_only():
    text = "phase deposit_payment\nkey cost_cny.wages_total\nroster.csv in /tmp/a_b\npart-time"
    assert identifier_leaks(text) == ["deposit_payment"]
