/** Cloudify's Token. `value` shows the secret only in the answer to its creation. */
export class TokenResponseDto {
  id: string;
  value: string;
  username: string;
  role: string | null;
  expiration_date: string | null;
  last_used: string | null;
  description: string | null;
}

export const TOKEN_FIELDS = [
  'id',
  'value',
  'username',
  'role',
  'expiration_date',
  'last_used',
  'description',
] as const;
