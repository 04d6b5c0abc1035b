-- claimGrace. KEYS[1] the family. ARGV: previous hash, maximum uses, now, this claim's nonce.
local r = load(KEYS[1])
if not r then
  return {'N'}
end
local now = tonumber(ARGV[3])
-- Sent again after a lost answer: the window's last claim was this one.
if r.gc ~= nil and r.gc == ARGV[4] and r.gp == ARGV[1] then
  return answer('A', KEYS[1])
end
if usable(r, now) and r.gp ~= nil and r.gp == ARGV[1] and now < r.n.gu and r.n.gn < tonumber(ARGV[2]) then
  redis.call('HINCRBY', KEYS[1], 'gn', 1)
  redis.call('HSET', KEYS[1], 'gc', ARGV[4])
  return answer('A', KEYS[1])
end
return answer('R', KEYS[1])
