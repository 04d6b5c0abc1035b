-- revokeFamily. KEYS[1] the family, KEYS[2] its bucket's timeline. ARGV: family id, now, reason.
-- Returns {1} if this call revoked it, {0} if it was revoked already or does not exist.
local r = load(KEYS[1])
if not r or r.ra ~= nil then
  return {0}
end
redis.call('HSET', KEYS[1], 'ra', ARGV[2], 'rr', ARGV[3])
if r.gp ~= nil then
  dropGrace(KEYS[1])
  schedule(KEYS[2], 'f' .. ARGV[1], r.ex)
end
return {1}
