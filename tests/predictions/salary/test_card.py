"""The salary model card's sentence on routing never-covered occupations to BLS (pure: hand-made metrics)."""

from __future__ import annotations

from predictions.salary.card import _uncovered_judgement


def metrics(*years: tuple[str, int, float, float]) -> dict:
    """(year, fallback rows, model MAE on them, fallback MAE) per backtest year."""
    return {
        "backtest": {
            "years": {
                year: {
                    "candidate": {
                        "by_method": {"bls_fallback": {"rows": rows, "mae_usd": fallback}},
                        "model_on_fallback_rows": {"mae_usd": model},
                    }
                }
                for year, rows, model, fallback in years
            }
        }
    }


def test_it_calls_the_routing_a_judgement_and_quotes_where_the_model_beat_the_fallback() -> None:
    text = _uncovered_judgement(metrics(("2022", 59, 39_510.0, 42_886.0), ("2023", 155, 36_891.0, 46_179.0)))

    assert "stated judgement, not a measured win" in text
    assert "nurses, teachers" in text
    assert "the model beat the fallback (2022: 59 rows, model MAE $39,510 against the fallback's $42,886" in text
    assert "2023: 155 rows, model MAE $36,891 against the fallback's $46,179" in text


def test_it_does_not_claim_the_model_won_when_the_fallback_did_in_a_year() -> None:
    text = _uncovered_judgement(metrics(("2022", 59, 39_510.0, 42_886.0), ("2023", 155, 50_000.0, 46_179.0)))

    assert "the model did not beat the fallback every year" in text
    assert "model beat the fallback (" not in text


def test_it_says_so_when_no_row_went_to_the_fallback() -> None:
    text = _uncovered_judgement(metrics(("2022", 0, 0.0, 0.0)))

    assert "this run has none to compare" in text
