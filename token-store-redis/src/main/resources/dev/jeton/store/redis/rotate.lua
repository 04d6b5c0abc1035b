-- rotate. KEYS[1] the family, KEYS[2] its bucket's timeline.
-- ARGV: family id, presented generation, presented hash, successor hash, successor idle expiry, now,
-- and for the grace window (all empty without one) previous hash, sealed successor, end of the window.
local r = load(KEYS[1])
if not r then
  return {'N'}
end
local now = tonumber(ARGV[6])
local generation = tonumber(ARGV[2])
-- Sent again after a lost answer (a reconnect replays it): this rotation already applied.
if r.n.g == generation + 1 and r.h == ARGV[4] and usable(r, now) then
  return answer('A', KEYS[1])
end
if r.n.g ~= generation or r.h ~= ARGV[3] or not usable(r, now) then
  return answer('R', KEYS[1])
end
redis.call('HINCRBY', KEYS[1], 'g', 1)
redis.call('HSET', KEYS[1], 'h', ARGV[4], 'i', ARGV[5])
if ARGV[9] ~= '' then
  redis.call('HSET', KEYS[1], 'gp', ARGV[7], 'gs', ARGV[8], 'gu', ARGV[9], 'gn', '0')
  redis.call('HDEL', KEYS[1], 'gc')
  if tonumber(ARGV[9]) < r.n.ex then
    schedule(KEYS[2], 'f' .. ARGV[1], ARGV[9])
  else
    schedule(KEYS[2], 'f' .. ARGV[1], r.ex)
  end
elseif r.gp ~= nil then
  dropGrace(KEYS[1])
  schedule(KEYS[2], 'f' .. ARGV[1], r.ex)
end
return answer('A', KEYS[1])
