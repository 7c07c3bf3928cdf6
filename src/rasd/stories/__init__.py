"""One story across outlets: incremental story clustering of articles (issue #19).

``features`` turns an article into weighted stems and a MinHash; ``cluster`` assigns articles to
stories in time order; ``output`` prints them. The store and the batch runner call the same two.
"""
