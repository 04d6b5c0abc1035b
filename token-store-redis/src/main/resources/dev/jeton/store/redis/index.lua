-- The subject's index: a sorted set of its family ids, each scored by the family's absolute expiry, so that entries
-- of expired families are dropped by score. KEYS[1] the index. ARGV: family id, absolute expiry, now.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local expires = redis.call('PEXPIRETIME', KEYS[1])
if expires < 0 or expires < tonumber(ARGV[2]) then
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
end
return {1}
