"""Identifiers in the formats the DfE and NHS validators check."""

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # the check-letter alphabet (23 letters, no I O S)
# Characters 2-4 of a UPN are a DfE LA number (CIN rule 1530 checks it is a real one); 318 pairs
# with the ONS code E09000027 the SSDA903 validator assumes by default.
LA_CODE = "318"


def upn_check_letter(body: str) -> str:
    """The check letter of a 13-character UPN from characters 2-13 (CIN rule 1510)."""
    total = sum(int(ch) * weight for weight, ch in enumerate(body, start=2))
    return UPN_LETTERS[total % 23]


def upn(serial: int, la_code: str = LA_CODE) -> str:
    """A permanent UPN: check letter, LA number, school code and serial, all numeric after the
    first character (CIN rules 1540, 1550)."""
    body = f"{la_code}{serial % 10**9:09d}"
    return upn_check_letter(body) + body


def nhs_number(serial: int) -> str:
    """An NHS number in the 999 range the NHS reserves for test data, with a valid mod-11 check
    digit; a serial whose check digit would be 10 moves to the next serial."""
    while True:
        body = f"999{serial % 10**6:06d}"
        total = sum(int(ch) * (10 - i) for i, ch in enumerate(body))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)
        serial += 1
