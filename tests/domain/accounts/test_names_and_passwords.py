"""Usernames (canonical form, one script) and the password rule (NIST SP 800-63B style)."""

import pytest

from app.domain.accounts.names import clean_username, is_mixed_script, username_key
from app.domain.accounts.passwords import PasswordPolicy, load_common_passwords
from app.domain.errors import (
    CommonPasswordError,
    LookalikeUsernameError,
    PasswordLikeUsernameError,
    ValidationFailedError,
    WeakPasswordError,
)

POLICY = PasswordPolicy(load_common_passwords())


@pytest.mark.parametrize("variant", ["Trainer2", " trainer2\t", "TRAINER2", "ｔｒａｉｎｅｒ２"])
def test_name_variants_have_one_key(variant: str) -> None:
    assert username_key(variant) == "trainer2"


def test_full_width_letters_are_stored_plain() -> None:
    assert clean_username(" Ａｌｉｃｅ ") == "Alice"


@pytest.mark.parametrize("spoof", ["pаypal", "аdmin", "gοοgle"])  # Cyrillic а, Greek ο
def test_latin_mixed_with_a_look_alike_script_is_refused(spoof: str) -> None:
    assert is_mixed_script(spoof)
    with pytest.raises(LookalikeUsernameError):
        clean_username(spoof)


@pytest.mark.parametrize("name", ["张伟", "li张伟", "たなか太郎", "kim민준", "Ναταλία", "o'neil"])
def test_single_scripts_and_latin_with_cjk_are_fine(name: str) -> None:
    assert not is_mixed_script(name)


def test_bad_characters_and_lengths_are_refused() -> None:
    for bad in ("a", "x" * 65, "has space", "semi;colon"):
        with pytest.raises(ValidationFailedError):
            clean_username(bad)


def test_the_shipped_list_holds_only_passwords_long_enough_to_matter() -> None:
    common = load_common_passwords()
    assert len(common) > 1500
    assert all(len(p) >= 10 for p in common)


@pytest.mark.parametrize("password", ["1234567890", "QWERTYUIOP", "password123", "0987654321"])
def test_common_passwords_are_refused_whatever_their_case(password: str) -> None:
    with pytest.raises(CommonPasswordError):
        POLICY.check(password, username="ana")


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "abcdefghijk", "9876543210"])
def test_repeated_and_sequential_runs_are_refused(password: str) -> None:
    with pytest.raises(CommonPasswordError):
        POLICY.check(password)


def test_the_username_and_the_products_name_are_refused_inside_a_password() -> None:
    with pytest.raises(PasswordLikeUsernameError):
        POLICY.check("i-am-Margaret-99", username="margaret")
    with pytest.raises(PasswordLikeUsernameError):
        POLICY.check("张伟的密码真的很长很长很长", username="张伟")
    with pytest.raises(PasswordLikeUsernameError):
        POLICY.check("SpinPractice2026", username="bob")
    assert POLICY.check("olive tree at dusk", username="li") == "olive tree at dusk"


def test_length_limits() -> None:
    with pytest.raises(WeakPasswordError):
        POLICY.check("short")
    with pytest.raises(WeakPasswordError):
        POLICY.check("x1" * 200)
