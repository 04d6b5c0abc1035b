-- slide. KEYS[1] the family. ARGV: generation, current hash, new idle expiry, now.
-- Sent again after a lost answer it applies again with the same value: nothing else changes it meanwhile.
local r = load(KEYS[1])
if not r then
  return {'N'}
end
if r.n.g ~= tonumber(ARGV[1]) or r.h ~= ARGV[2] or not usable(r, tonumber(ARGV[4])) then
  return answer('R', KEYS[1])
end
redis.call('HSET', KEYS[1], 'i', ARGV[3])
return answer('A', KEYS[1])
