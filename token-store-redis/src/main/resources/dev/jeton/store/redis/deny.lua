-- revokeAccessToken. KEYS[1] the denial, KEYS[2] its bucket's timeline. ARGV: jti, expiry.
-- A denial is a string holding its expiry; Redis deletes it at that instant. A later expiry is kept.
local expiry = ARGV[2]
local current = redis.call('GET', KEYS[1])
if current then
  if type(current) ~= 'string' or #current > 16 or not string.match(current, '^%-?%d+$') then
    error({err = 'JETON malformed access-token denial'})
  end
  if tonumber(current) >= tonumber(expiry) then
    expiry = current
  end
end
redis.call('SET', KEYS[1], expiry, 'PXAT', expiry)
schedule(KEYS[2], 'j' .. ARGV[1], expiry)
return {1}
