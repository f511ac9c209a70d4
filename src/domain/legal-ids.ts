/**
 * Check digits of the Russian registration numbers in the agency's legal details (ИНН, ОГРН,
 * ОГРНИП), printed on every page and printout: a mistyped digit is caught by the content check, not
 * by a client's accountant. The rules are the Federal Tax Service's.
 */

const INN_WEIGHTS = {
  ten: [2, 4, 10, 3, 5, 9, 4, 6, 8],
  eleventh: [7, 2, 4, 10, 3, 5, 9, 4, 6, 8],
  twelfth: [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8],
};

/** The check digit the weights give the digits before it: weighted sum, modulo 11, modulo 10. */
const checkDigit = (digits: number[], weights: number[]) => (weights.reduce((sum, weight, i) => sum + weight * digits[i]!, 0) % 11) % 10;

/** Why `inn` is not a taxpayer number (10 digits for a company, 12 for a sole trader), or undefined. */
export function innProblem(inn: string): string | undefined {
  if (!/^(\d{10}|\d{12})$/.test(inn)) return "must be 10 or 12 digits";
  const digits = [...inn].map(Number);
  const valid =
    digits.length === 10
      ? checkDigit(digits, INN_WEIGHTS.ten) === digits[9]
      : checkDigit(digits, INN_WEIGHTS.eleventh) === digits[10] && checkDigit(digits, INN_WEIGHTS.twelfth) === digits[11];
  return valid ? undefined : "its check digit does not match: a digit is mistyped";
}

/** Why `ogrn` is not an ОГРН (13 digits) or ОГРНИП (15), or undefined: the last digit is the rest's remainder modulo 11 or 13, modulo 10. */
export function ogrnProblem(ogrn: string): string | undefined {
  if (!/^(\d{13}|\d{15})$/.test(ogrn)) return "must be 13 or 15 digits";
  const modulus = ogrn.length === 13 ? 11n : 13n;
  const valid = (BigInt(ogrn.slice(0, -1)) % modulus) % 10n === BigInt(ogrn.at(-1)!);
  return valid ? undefined : "its check digit does not match: a digit is mistyped";
}
